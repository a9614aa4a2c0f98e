package eu.iciatlas.common.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.schema.TableSchemas;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The classifier with the repository's conf/ on small projects whose scores are worked out by hand. */
class IciClassifierTest {
  private final SparkSession spark = SparkTestSession.get();
  private final ConfFiles conf = new ConfFiles(TestData.repoRoot().resolve("conf"));
  private final IciClassifier classifier = new IciClassifier(conf, PipelineSettings.load(conf));

  private Map<String, Row> classify() {
    StructType p = TableSchemas.columns(Tables.SILVER_PROJECTS, "project_id", "acronym", "title", "title_lang2", "title_lang3",
        "description_en", "description_1", "description_2", "expected_results_en", "expected_results_1", "expected_results_2",
        "themes", "has_text");
    Dataset<Row> projects = spark.createDataFrame(List.of(
        RowFactory.create("WIND", "WindNet", "Offshore wind cluster", null, null,
            "A business network and cluster of SMEs in offshore wind energy: joint products for wind turbines and new markets.",
            null, null, null, null, null, List.of("Clustering and economic cooperation", "Renewable energy"), true),
        RowFactory.create("CHURCH", "Churches", "Restoring two churches", null, null,
            "Renovation of the church roofs to preserve cultural heritage for visitors.", null, null, null, null, null,
            List.of("Cultural heritage and arts", "Tourism"), true),
        RowFactory.create("FI_ET", "Yritysverkosto", null, null, null, null,
            "Pk-yritysten yritysverkosto ja kansainvälistyminen: elintarvikkeiden vienti Viroon.",
            "Ettevõtete võrgustik toidu ekspordiks.", null, null, null, List.of(), true),
        RowFactory.create("OLD", "EstRuClusterDevelopment", null, null, null, null, null, null, null, null, null, null, false)),
        p);
    StructType q = TableSchemas.columns(Tables.SILVER_PARTICIPATIONS, "project_id", "organisation", "legal_status",
        "country_code");
    Dataset<Row> partners = spark.createDataFrame(List.of(
        RowFactory.create("WIND", "Wind Denmark ApS", "private", "DK"),
        RowFactory.create("WIND", "Offshore Cluster Schleswig-Holstein e.V.", "private", "DE"),
        RowFactory.create("CHURCH", "Parish of Zittau", "public", "DE"),
        RowFactory.create("FI_ET", "Tartu Science Park", "public", "EE"),
        RowFactory.create("OLD", "Kohtla-Järve City Government", "public", "EE")), q);
    return classifier.classify(projects, partners).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("project_id"), r -> r));
  }

  /** The committed rule_error_rates.csv was measured on the committed rules; other rules make it unusable, with why. */
  @Test
  void theRulesErrorRatesBelongToTheRulesTheyWereMeasuredOn() {
    RuleErrorRates rates = RuleErrorRates.load(conf, classifier.decisionDigest());
    assertEquals(null, rates.unusableReason(), "conf/classifier/rule_error_rates.csv is for other rules: measure them again "
        + "(bin/ici-atlas train-classifier); the configured rules are " + classifier.decisionDigest());
    assertTrue(rates.ici().value() > 0.5 && rates.notIci().value() < 0.2, rates.toString());
    String stricter = new IciClassifier(conf, PipelineSettings.load(conf, List.of("ici.threshold=4.5"))).decisionDigest();
    assertFalse(stricter.equals(classifier.decisionDigest()));
    assertTrue(RuleErrorRates.load(conf, stricter).unusableReason().startsWith("the configured rules"));
  }

  @Test
  void scoresAreTheSumOfTheRulesThatFiredAndSayWhy() {
    Map<String, Row> rows = classify();
    Row wind = rows.get("WIND");
    assertTrue(wind.<Boolean>getAs("is_ici"));
    List<String> reasons = wind.getList(wind.fieldIndex("ici_reasons"));
    // theme 3 + cluster 2 + business network 2 + internationalisation 1.5 + joint business 1 + SME 0.5
    // + private partner 1 + business support partner (cluster in the name) 1 = 12
    assertEquals(List.of("theme_clustering(+3.0)", "text_cluster(+2.0)", "text_business_network(+2.0)",
        "text_internationalisation(+1.5)", "text_joint_business(+1.0)", "text_sme(+0.5)", "partner_private(+1.0)",
        "partner_business_support(+1.0)"), reasons);
    assertEquals(12.0, wind.<Double>getAs("ici_score"), 1e-9);
    assertEquals("energy", wind.getAs("primary_specialization"));

    Row church = rows.get("CHURCH");
    assertFalse(church.<Boolean>getAs("is_ici"));
    assertTrue(church.getList(church.fieldIndex("ici_reasons")).contains("neg_heritage(-1.5)"));
    assertTrue(church.isNullAt(church.fieldIndex("primary_specialization")));
  }

  @Test
  void nationalLanguageTextCountsAndTextlessProjectsAreFlagged() {
    Map<String, Row> rows = classify();
    Row fiEt = rows.get("FI_ET");
    List<String> reasons = fiEt.getList(fiEt.fieldIndex("ici_reasons"));
    assertTrue(reasons.containsAll(List.of("text_business_network(+2.0)", "text_internationalisation(+1.5)",
        "text_sme(+0.5)", "partner_business_support(+1.0)")), reasons.toString());
    assertTrue(fiEt.<Boolean>getAs("is_ici"));
    assertEquals("food", fiEt.getAs("primary_specialization"));
    Row old = rows.get("OLD");
    assertTrue(old.<Boolean>getAs("classified_without_text"));
    assertEquals(List.of("text_cluster(+2.0)"), old.getList(old.fieldIndex("ici_reasons")),
        "a project without text is classified from its acronym and partners only");
    assertFalse(old.<Boolean>getAs("is_ici"));
  }
}
