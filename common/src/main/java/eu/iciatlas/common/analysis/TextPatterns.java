package eu.iciatlas.common.analysis;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.ahocorasick.trie.PayloadTrie;

/**
 * A list of the classifier's regexes matched together. One Aho-Corasick pass over a text finds
 * which top-level alternatives ("branches") of which patterns can match there: those with one of
 * their {@link RequiredLiterals} in the text. Only those run, as java.util.regex, so the answers
 * are exactly what Spark's {@code rlike} and {@code regexp_extract_all(text, pattern, 0)} give
 * (Spark runs the same java.util.regex; TextPatternsTest compares them on every project of the
 * bundled export, on generated texts and on syntax that must not be split). Whether a pattern matches
 * anywhere is whether one of its branches does, so {@link #find} runs the candidate branches alone;
 * {@link #findAll} merges their matches as the alternation would. A pattern is split only where
 * every branch has required literals; any other pattern runs whole, and on every text when the
 * literal reader does not follow its syntax.
 *
 * <p>Why not Spark built-ins: the prefilter as {@code contains} expressions scanned each text once
 * per literal (about 600 literals over 28 patterns), and each regex then tried every alternative at
 * every position; classification was 41 % of the SF 10 pipeline
 * (benchmarks/results/2026-12-06-vm.md). Spark has no multi-pattern search.
 */
public final class TextPatterns implements Serializable {
  private static final long serialVersionUID = 1L;

  /** \1 .. \9 (an even number of backslashes before it is an escaped backslash, not a reference). */
  private static final Pattern BACK_REFERENCE = Pattern.compile("(?<!\\\\)(\\\\\\\\)*\\\\[1-9]");

  private final List<String> patterns;
  /** Built on first use where the matching runs (once per task's copy: cheap), not serialized. */
  private transient volatile Compiled compiled;

  /**
   * regexes: per pattern; firstBranch: per pattern, the index of its first branch (and one past the
   * last at the end); mergeable: per pattern, whether its matches can be merged from its branches';
   * branches: per branch, its regex; branchOf: per branch, its pattern; withoutLiterals: branches
   * that are always tried; literals: literal to the branches it serves.
   */
  private record Compiled(Pattern[] regexes, int[] firstBranch, boolean[] mergeable, Pattern[] branches, int[] branchOf,
      BitSet withoutLiterals, PayloadTrie<int[]> literals) {}

  public TextPatterns(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** Per pattern, whether it matches somewhere in text (Spark's {@code text rlike pattern}); text is not null. */
  public boolean[] find(String text) {
    Compiled c = compiled();
    BitSet branches = candidateBranches(c, text);
    boolean[] found = new boolean[patterns.size()];
    for (int b = branches.nextSetBit(0); b >= 0; b = branches.nextSetBit(b + 1)) {
      int pattern = c.branchOf()[b];
      if (!found[pattern] && c.branches()[b].matcher(text).find()) {
        found[pattern] = true;
      }
    }
    return found;
  }

  /** Per pattern, every match in text in order (Spark's {@code regexp_extract_all(text, pattern, 0)}); text is not null. */
  public List<List<String>> findAll(String text) {
    Compiled c = compiled();
    BitSet branches = candidateBranches(c, text);
    List<List<String>> all = new ArrayList<>(patterns.size());
    for (int i = 0; i < patterns.size(); i++) {
      List<String> matches = new ArrayList<>();
      int first = c.firstBranch()[i];
      int end = c.firstBranch()[i + 1];
      int next = branches.nextSetBit(first);
      if (next >= 0 && next < end) {
        if (c.mergeable()[i]) {
          mergeBranchMatches(c, branches, first, end, text, matches);
        } else {
          Matcher m = c.regexes()[i].matcher(text);
          while (m.find()) {
            matches.add(m.group());
          }
        }
      }
      all.add(matches);
    }
    return all;
  }

  /**
   * The matches of a|b|.. from those of its candidate branches: java.util.regex takes the leftmost
   * start, there the first branch in order that matches, and goes on after its end. Each branch,
   * found from a literal, is much cheaper than the alternation tried at every position. Patterns are
   * split only where every branch has a required literal, so no match is empty and every match moves on.
   */
  private static void mergeBranchMatches(Compiled c, BitSet candidates, int first, int end, String text, List<String> out) {
    int n = end - first;
    Matcher[] matchers = new Matcher[n];
    int[] start = new int[n];
    for (int k = 0; k < n; k++) {
      if (candidates.get(first + k)) {
        matchers[k] = c.branches()[first + k].matcher(text);
        start[k] = matchers[k].find() ? matchers[k].start() : Integer.MAX_VALUE;
      } else {
        start[k] = Integer.MAX_VALUE;
      }
    }
    while (true) {
      int best = 0;
      for (int k = 1; k < n; k++) {
        if (start[k] < start[best]) {
          best = k;
        }
      }
      if (start[best] == Integer.MAX_VALUE) {
        return;
      }
      out.add(matchers[best].group());
      int from = matchers[best].end();
      for (int k = 0; k < n; k++) {
        if (start[k] < from) {
          start[k] = matchers[k].find(from) ? matchers[k].start() : Integer.MAX_VALUE;
        }
      }
    }
  }

  private static BitSet candidateBranches(Compiled c, String text) {
    BitSet candidates = (BitSet) c.withoutLiterals().clone();
    c.literals().parseText(text, emit -> {
      for (int branch : emit.getPayload()) {
        candidates.set(branch);
      }
      return true;
    });
    return candidates;
  }

  /**
   * The top-level alternatives of a pattern ({@code a|(b|c)|[|]} gives a, (b|c) and [|]), or the
   * pattern alone where it does not read the syntax well enough to split: any {@code (?} (inline
   * flags reach into later alternatives; named groups, lookarounds), back references (splitting
   * renumbers the groups), quoting, nested classes, a class opening with ']'. A piece that does not
   * compile on its own makes the caller keep the whole pattern too.
   */
  static List<String> branches(String pattern) {
    if (pattern.contains("(?") || pattern.contains("\\Q") || pattern.contains("\\k") || BACK_REFERENCE.matcher(pattern).find()) {
      return List.of(pattern);
    }
    List<String> branches = new ArrayList<>();
    int depth = 0;
    int start = 0;
    boolean inClass = false;
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch == '\\') {
        i++;
      } else if (inClass) {
        if (ch == '[') {
          return List.of(pattern);
        }
        inClass = ch != ']';
      } else if (ch == '[') {
        inClass = true;
        if (pattern.startsWith("]", i + 1) || pattern.startsWith("^]", i + 1)) {
          return List.of(pattern);
        }
      } else if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (ch == '|' && depth == 0) {
        branches.add(pattern.substring(start, i));
        start = i + 1;
      }
    }
    branches.add(pattern.substring(start));
    return branches;
  }

  private Compiled compiled() {
    Compiled c = compiled;
    if (c == null) {
      c = compile();
      compiled = c;
    }
    return c;
  }

  private Compiled compile() {
    Pattern[] regexes = new Pattern[patterns.size()];
    int[] firstBranch = new int[patterns.size() + 1];
    boolean[] mergeable = new boolean[patterns.size()];
    List<Pattern> branchRegexes = new ArrayList<>();
    List<Integer> branchOf = new ArrayList<>();
    BitSet always = new BitSet();
    Map<String, BitSet> branchesOfLiteral = new LinkedHashMap<>();
    for (int i = 0; i < patterns.size(); i++) {
      regexes[i] = Pattern.compile(patterns.get(i));
      // split only where every branch has literals: such a branch cannot match empty text, so splitting
      // changes neither which positions are tried nor where the next match starts
      List<String> branches = branches(patterns.get(i));
      List<Pattern> compiledBranches = new ArrayList<>();
      List<List<String>> literalsOfBranches = new ArrayList<>();
      try {
        for (String branch : branches) {
          compiledBranches.add(Pattern.compile(branch));
          literalsOfBranches.add(RequiredLiterals.of(branch));
        }
      } catch (PatternSyntaxException e) {
        literalsOfBranches.add(null);
      }
      if (branches.size() > 1 && literalsOfBranches.contains(null)) {
        branches = List.of(patterns.get(i));
        compiledBranches = List.of(regexes[i]);
        literalsOfBranches = java.util.Collections.singletonList(RequiredLiterals.of(patterns.get(i)));
      }
      firstBranch[i] = branchRegexes.size();
      mergeable[i] = branches.size() > 1;
      for (int b = 0; b < branches.size(); b++) {
        int branch = branchRegexes.size();
        branchRegexes.add(compiledBranches.get(b));
        branchOf.add(i);
        List<String> required = literalsOfBranches.get(b);
        if (required == null) {
          always.set(branch);
        } else {
          for (String literal : required) {
            branchesOfLiteral.computeIfAbsent(literal, l -> new BitSet()).set(branch);
          }
        }
      }
    }
    firstBranch[patterns.size()] = branchRegexes.size();
    PayloadTrie.PayloadTrieBuilder<int[]> trie = PayloadTrie.builder();
    branchesOfLiteral.forEach((literal, of) -> trie.addKeyword(literal, of.stream().toArray()));
    return new Compiled(regexes, firstBranch, mergeable, branchRegexes.toArray(new Pattern[0]), branchOf.stream().mapToInt(Integer::intValue).toArray(),
        always, trie.build());
  }
}
