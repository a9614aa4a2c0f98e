package eu.iciatlas.common.keep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keep.eu column names across export generations. Both the 2019 export ({@code Acronym},
 * {@code Thematic1}, {@code NUTS2 (or equivalent)}) and the current one ({@code Project acronym},
 * {@code Theme 1}, {@code NUTS2 code (or equivalent)}) map to one canonical snake_case name; a
 * column we do not know keeps its own name in snake_case, so nothing delivered is dropped.
 */
public final class KeepColumns {
  /** What a Keep.eu file or sheet holds, recognised from its header. */
  public enum Kind {
    PROJECTS, PARTNERS, CALLS
  }

  private static final Map<String, String> ALIASES = new HashMap<>();

  private static void alias(String canonical, String... headers) {
    for (String header : headers) {
      ALIASES.put(normalise(header), canonical);
    }
  }

  static {
    alias("programme", "Programme", "Programme name");
    alias("acronym", "Acronym", "Project acronym");
    alias("project_name", "Project Name", "Project name in English");
    alias("project_name_lang2", "Project Name language 2", "Project name in language 1");
    alias("project_name_lang3", "Project Name language 3", "Project name in language 2");
    alias("lead_partner", "Lead Partner", "Lead partner");
    alias("period", "Period", "Programme period");
    alias("total_budget", "Budget", "Project's total budget / expenditure", "Total budget");
    alias("eu_funding", "EU Funding", "Project's EU funding");
    alias("theme_1", "Thematic1", "Theme 1");
    alias("theme_2", "Thematic2", "Theme 2");
    alias("theme_3", "Thematic3", "Theme 3");
    alias("description_1", "Description 1", "Description in language 1");
    alias("description_2", "Description 2", "Description in language 2");
    alias("description_en", "Description EN", "Description in English");
    alias("expected_results_1", "Expected Results 1", "Expected results in language 1");
    alias("expected_results_2", "Expected Results 2", "Expected results in language 2");
    alias("expected_results_en", "Expected Results EN", "Expected results in English");
    alias("achievements_en", "Achievements EN", "Achievements in English");
    alias("project_start", "Project start");
    alias("project_end", "Project end");
    alias("organisation", "Project Partner", "Organisation in English", "Partner");
    alias("organisation_original", "Organisation in original language", "Organisation");
    alias("legal_status", "Legal Status", "Type of Organisation", "Legal status");
    alias("country_code", "Country code");
    alias("nuts1", "NUTS1 (or equivalent)", "NUTS1 code (or equivalent)");
    alias("nuts2", "NUTS2 (or equivalent)", "NUTS2 code (or equivalent)");
    alias("nuts3", "NUTS3 (or equivalent)", "NUTS3 code (or equivalent)");
    alias("pic", "Participant Identification Code");
    alias("call_serial_number", "Serial Number", "Call SN", "Call serial number");
  }

  private KeepColumns() {}

  static String normalise(String header) {
    return header.replace("\uFEFF", "").trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  /** snake_case of a header; safe as a Delta column name. */
  static String snakeCase(String header) {
    String s = normalise(header).replace("'", "").replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    if (s.isEmpty()) {
      s = "column";
    }
    return Character.isDigit(s.charAt(0)) ? "c_" + s : s;
  }

  /**
   * Canonical names for a header in {@code kind}'s terms, unique; calls reuse "Budget", "Start
   * Date" and "End Date" differently from projects.
   */
  public static List<String> canonical(List<String> header, Kind kind) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String h : header) {
      String key = normalise(h);
      String name = ALIASES.getOrDefault(key, snakeCase(h));
      if (kind == Kind.CALLS) {
        if (key.equals("budget")) {
          name = "call_budget";
        } else if (key.equals("start date")) {
          name = "call_start";
        } else if (key.equals("end date")) {
          name = "call_end";
        }
      }
      String unique = name;
      for (int i = 2; !seen.add(unique); i++) {
        unique = name + "_" + i;
      }
      names.add(unique);
    }
    return names;
  }

  /** The kind of a header, or null when it is no Keep.eu projects, partners or calls export. */
  public static Kind kindOf(List<String> header) {
    Set<String> names = new HashSet<>(canonical(header, Kind.PROJECTS));
    if (!names.contains("programme")) {
      return null;
    }
    if (names.contains("organisation") && names.contains("acronym")) {
      return Kind.PARTNERS;
    }
    if (names.contains("acronym") && (names.contains("theme_1") || names.contains("project_name")
        || names.contains("description_en"))) {
      return Kind.PROJECTS;
    }
    Set<String> callNames = new HashSet<>(canonical(header, Kind.CALLS));
    if (callNames.contains("call_serial_number") && callNames.contains("call_start")) {
      return Kind.CALLS;
    }
    return null;
  }

  /** Columns every bronze table of a kind has, in this order, whatever the export generation. */
  public static final Map<Kind, List<String>> REQUIRED = new LinkedHashMap<>();

  static {
    REQUIRED.put(Kind.PROJECTS, List.of("programme", "acronym", "project_name", "lead_partner", "period",
        "total_budget", "eu_funding", "theme_1", "theme_2", "theme_3", "description_1", "description_2",
        "description_en", "expected_results_1", "expected_results_2", "expected_results_en",
        "project_start", "project_end", "project_name_lang2", "project_name_lang3"));
    REQUIRED.put(Kind.PARTNERS, List.of("programme", "acronym", "organisation", "lead_partner", "street",
        "postal_code", "town", "country", "website", "department", "legal_status", "country_code",
        "nuts1", "nuts2", "nuts3"));
    REQUIRED.put(Kind.CALLS, List.of("programme", "call_serial_number", "call_start", "call_end",
        "call_budget"));
  }
}
