package eu.iciatlas.common.analysis;

import eu.iciatlas.common.DatasetAssert;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.config.ConfFiles;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** conf/regions/baltic.csv on projects of a programme with sub-areas and of a whole-programme region. */
class RegionDefinitionTest {
  private final SparkSession spark = SparkTestSession.get();
  private static final String OKS = "2007 - 2013 Öresund - Kattegat - Skagerrak (SE-DK-NO)";

  @Test
  void subAreasGoByTheLeadPartnerFirstThenAnyPartner() {
    StructType p = new StructType().add("project_id", DataTypes.StringType).add("period", DataTypes.StringType)
        .add("programme", DataTypes.StringType).add("programme_key", DataTypes.StringType);
    Dataset<Row> projects = spark.createDataFrame(List.of(
        RowFactory.create("A", "2007-2013", OKS, "oks"), RowFactory.create("B", "2007-2013", OKS, "oks"),
        RowFactory.create("C", "2007-2013", OKS, "oks"), RowFactory.create("D", "2007-2013", OKS, "oks"),
        RowFactory.create("E", "2007-2013", "2007 - 2013 Syddanmark-Schleswig-K.E.R.N.", "kern"),
        RowFactory.create("F", "2007-2013", "2007 - 2013 Alpine Space", "alpine")), p);
    StructType q = new StructType().add("project_id", DataTypes.StringType).add("nuts3", DataTypes.StringType)
        .add("nuts2", DataTypes.StringType).add("is_lead", DataTypes.BooleanType);
    Dataset<Row> partners = spark.createDataFrame(List.of(
        // A: lead in Copenhagen (Öresund), partner in Västra Götaland (Skagerrak) -> Öresund by the lead
        RowFactory.create("A", "DK011", "DK01", true), RowFactory.create("A", "SE232", "SE23", false),
        // B: lead in Västra Götaland -> Skagerrak
        RowFactory.create("B", "SE232", "SE23", true), RowFactory.create("B", "DK011", "DK01", false),
        // C: lead outside every sub-area, a partner in Skåne (SE224) -> Öresund by a partner
        RowFactory.create("C", "DE600", "DE60", true), RowFactory.create("C", "SE224", "SE22", false),
        // D: nobody inside -> unassigned
        RowFactory.create("D", "DE600", "DE60", true),
        RowFactory.create("E", "DEF01", "DEF0", true)), q);
    Dataset<Row> programmes = spark.createDataFrame(List.of(), new StructType().add("programme_key", DataTypes.StringType)
        .add("strand", DataTypes.StringType));
    RegionDefinition baltic = new RegionDefinition(new ConfFiles(TestData.repoRoot().resolve("conf")), "baltic");
    DatasetAssert.assertRows(List.of(
            Arrays.asList("A", "oresund", "lead_partner_nuts3"), Arrays.asList("B", "skagerrak", "lead_partner_nuts3"),
            Arrays.asList("C", "oresund", "partner_nuts3"), Arrays.asList("D", null, "no_partner_in_sub_area"),
            Arrays.asList("E", "jutland", "programme"), Arrays.asList("F", null, "programme_not_in_definition")),
        baltic.assign(spark, projects, partners, programmes), "project_id", "region_id", "assignment_rule");
  }
}
