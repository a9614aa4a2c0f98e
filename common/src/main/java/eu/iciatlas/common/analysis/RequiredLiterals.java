package eu.iciatlas.common.analysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Literal strings of which every match of a regex contains at least one: "cluster", "klynge", ...
 * for {@code \b(cluster\w*|klynge\w*)}. A text that contains none of them cannot match, so
 * {@link TextPatterns} skips the regex there (java.util.regex tries every alternative at every
 * position; one automaton pass over all the literals is much faster). Understands the syntax of the classifier's
 * term lists (literals, groups, alternation, ?, *, +, {m,n}, character classes, \b \w \s \d and
 * escaped punctuation) and gives up, returning null, on anything else (flags, back references,
 * \Q..\E, \p{..}), so a pattern it does not understand is simply not prefiltered.
 */
final class RequiredLiterals {
  private final String pattern;
  private int pos;

  private RequiredLiterals(String pattern) {
    this.pattern = pattern;
  }

  /** The literals, or null when the pattern gives none (or uses syntax this class does not read). */
  static List<String> of(String pattern) {
    try {
      RequiredLiterals parser = new RequiredLiterals(pattern);
      Node node = parser.alternation();
      if (parser.pos != pattern.length()) {
        return null;
      }
      Set<String> required = node.required();
      return required == null ? null : List.copyOf(required);
    } catch (Unsupported e) {
      return null;
    }
  }

  private static final class Unsupported extends RuntimeException {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  /**
   * exact: the one string the node matches, or null; required: strings of which each match
   * contains one, or null when nothing is known.
   */
  private record Node(String exact, Set<String> required) {
    static final Node NOTHING_KNOWN = new Node(null, null);

    static Node literal(String text) {
      return new Node(text, text.isEmpty() ? null : new LinkedHashSet<>(List.of(text)));
    }
  }

  private Node alternation() {
    List<Node> branches = new ArrayList<>();
    branches.add(concatenation());
    while (pos < pattern.length() && pattern.charAt(pos) == '|') {
      pos++;
      branches.add(concatenation());
    }
    if (branches.size() == 1) {
      return branches.get(0);
    }
    Set<String> union = new LinkedHashSet<>();
    for (Node b : branches) {
      if (b.required() == null) {
        return Node.NOTHING_KNOWN;
      }
      union.addAll(b.required());
    }
    return new Node(null, union);
  }

  private Node concatenation() {
    List<Node> parts = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    while (pos < pattern.length() && pattern.charAt(pos) != '|' && pattern.charAt(pos) != ')') {
      Node atom = quantified(atom());
      if (atom.exact() != null) {
        run.append(atom.exact());
      } else {
        parts.add(Node.literal(run.toString()));
        run.setLength(0);
        parts.add(atom);
      }
    }
    parts.add(Node.literal(run.toString()));
    if (parts.size() == 1) {
      return parts.get(0);
    }
    // any part's literals are required; the part whose shortest literal is longest filters best
    Set<String> best = null;
    for (Node p : parts) {
      if (p.required() != null && (best == null || shortest(p.required()) > shortest(best))) {
        best = p.required();
      }
    }
    return new Node(null, best);
  }

  private static int shortest(Set<String> literals) {
    return literals.stream().mapToInt(String::length).min().orElse(0);
  }

  private Node quantified(Node atom) {
    if (pos >= pattern.length()) {
      return atom;
    }
    char c = pattern.charAt(pos);
    int min;
    if (c == '?' || c == '*') {
      pos++;
      min = 0;
    } else if (c == '+') {
      pos++;
      min = 1;
    } else if (c == '{') {
      int close = pattern.indexOf('}', pos);
      if (close < 0 || !pattern.substring(pos + 1, close).matches("\\d+(,\\d*)?")) {
        throw new Unsupported();
      }
      min = Integer.parseInt(pattern.substring(pos + 1, close).split(",")[0]);
      pos = close + 1;
    } else {
      return atom;
    }
    if (pos < pattern.length() && (pattern.charAt(pos) == '?' || pattern.charAt(pos) == '+')) {
      pos++; // lazy or possessive: the same strings can match
    }
    return min == 0 ? Node.NOTHING_KNOWN : new Node(null, atom.required());
  }

  private Node atom() {
    char c = pattern.charAt(pos);
    switch (c) {
      case '(' -> {
        pos++;
        if (pattern.startsWith("?:", pos)) {
          pos += 2;
        } else if (pattern.startsWith("?", pos)) {
          throw new Unsupported(); // flags, look-around, named groups
        }
        Node inner = alternation();
        if (pos >= pattern.length() || pattern.charAt(pos) != ')') {
          throw new Unsupported();
        }
        pos++;
        return inner;
      }
      case '[' -> {
        skipClass();
        return Node.NOTHING_KNOWN;
      }
      case '.', '^', '$' -> {
        pos++;
        return Node.NOTHING_KNOWN;
      }
      case '\\' -> {
        if (pos + 1 >= pattern.length()) {
          throw new Unsupported();
        }
        char e = pattern.charAt(pos + 1);
        pos += 2;
        if ("bBwWsSdD".indexOf(e) >= 0) {
          return Node.NOTHING_KNOWN;
        }
        if (!Character.isLetterOrDigit(e)) {
          return Node.literal(String.valueOf(e));
        }
        throw new Unsupported();
      }
      case '*', '+', '?', '{', ')', '|' -> throw new Unsupported();
      default -> {
        int codePoint = pattern.codePointAt(pos);
        pos += Character.charCount(codePoint);
        return Node.literal(new String(Character.toChars(codePoint)));
      }
    }
  }

  private void skipClass() {
    int i = pos + 1;
    if (i < pattern.length() && pattern.charAt(i) == '^') {
      i++;
    }
    if (i < pattern.length() && pattern.charAt(i) == ']') {
      i++;
    }
    while (i < pattern.length() && pattern.charAt(i) != ']') {
      if (pattern.charAt(i) == '[') {
        throw new Unsupported(); // nested classes, intersections
      }
      if (pattern.charAt(i) == '\\') {
        // \cX, \Q..\E, \p{..}, \x.., octal and the like are longer than two characters (\Q\E can even make
        // the next ']' a member): only the two-character classes are followed
        if (i + 1 < pattern.length() && Character.isLetterOrDigit(pattern.charAt(i + 1))
            && "dDwWsS".indexOf(pattern.charAt(i + 1)) < 0) {
          throw new Unsupported();
        }
        i += 2;
      } else {
        i++;
      }
    }
    if (i >= pattern.length()) {
      throw new Unsupported();
    }
    pos = i + 1;
  }
}
