package eu.iciatlas.jobs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** The report's charts: JFreeChart plots rendered to inline SVG by JFreeSVG, one group per data item. */
final class Charts {
  static final Color BAR = new Color(33, 113, 181);
  private static final Font FONT = new Font("SansSerif", Font.PLAIN, 12);

  private Charts() {}

  record Bar(String label, double value) {}

  /** Horizontal bars in the given order, values as percent, labelled at the bar's end. */
  static String percentBars(String id, String valueAxis, List<Bar> bars, int width) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Bar b : bars) {
      data.addValue(b.value() * 100, valueAxis, b.label());
    }
    JFreeChart chart = ChartFactory.createBarChart(null, null, valueAxis, data, PlotOrientation.HORIZONTAL, false, true, false);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(200, 200, 200));
    plot.getDomainAxis().setTickLabelFont(FONT);
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.45f);
    NumberAxis range = (NumberAxis) plot.getRangeAxis();
    range.setUpperMargin(0.12);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, BAR);
    renderer.setMaximumBarWidth(0.08);
    renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("0.0'%'")));
    renderer.setDefaultItemLabelsVisible(true);
    renderer.setDefaultItemLabelFont(FONT);
    return svg(id, chart, width, 60 + 26 * Math.max(1, bars.size()));
  }

  /** Scatter of (x, y) with the least-squares line from x-min to x-max. */
  static String scatterWithFit(String id, String xLabel, String yLabel, double[] xs, double[] ys, double slope,
      double intercept, int width) {
    XYSeries points = new XYSeries("NUTS 2 regions");
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < xs.length; i++) {
      points.add(xs[i], ys[i]);
      min = Math.min(min, xs[i]);
      max = Math.max(max, xs[i]);
    }
    XYSeriesCollection data = new XYSeriesCollection(points);
    if (xs.length >= 2 && !Double.isNaN(slope)) {
      XYSeries fit = new XYSeries("least-squares line");
      fit.add(min, intercept + slope * min);
      fit.add(max, intercept + slope * max);
      data.addSeries(fit);
    }
    JFreeChart chart = ChartFactory.createScatterPlot(null, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, true, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(220, 220, 220));
    plot.setRangeGridlinePaint(new Color(220, 220, 220));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    renderer.setSeriesLinesVisible(0, false);
    renderer.setSeriesShapesVisible(0, true);
    renderer.setSeriesPaint(0, BAR);
    renderer.setSeriesLinesVisible(1, true);
    renderer.setSeriesShapesVisible(1, false);
    renderer.setSeriesPaint(1, new Color(214, 39, 40));
    renderer.setSeriesStroke(1, new BasicStroke(2f));
    plot.setRenderer(renderer);
    return svg(id, chart, width, 420);
  }

  private static String svg(String id, JFreeChart chart, int width, int height) {
    chart.setElementHinting(true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    chart.draw(g2, new Rectangle(0, 0, width, height));
    return g2.getSVGElement(id);
  }
}
