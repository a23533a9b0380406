package com.posloyalty.server.store;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * PostgreSQL array literals ({@code {"a","b"}}, {@code {1,2}}) of one value of each item, for
 * arrays sent as text and cast in the statement: a statement that writes a row per item of a
 * group, each row holding an array of its own length, cannot take them as one SQL array
 * (PostgreSQL's arrays of arrays are rectangular).
 */
final class ArrayLiteral {

  private ArrayLiteral() {}

  /** Each value quoted, with its backslashes and double quotes escaped; never null. */
  static <T> String ofText(List<T> items, Function<T, String> value) {
    StringBuilder b = new StringBuilder(2 + items.size() * 12).append('{');
    for (int i = 0; i < items.size(); i++) {
      String v = value.apply(items.get(i));
      if (v == null) {
        throw new IllegalArgumentException("an array literal of text holds no null");
      }
      if (i > 0) {
        b.append(',');
      }
      b.append('"');
      for (int k = 0; k < v.length(); k++) {
        char ch = v.charAt(k);
        if (ch == '"' || ch == '\\') {
          b.append('\\');
        }
        b.append(ch);
      }
      b.append('"');
    }
    return b.append('}').toString();
  }

  static <T> String ofLong(List<T> items, ToLongFunction<T> value) {
    StringBuilder b = new StringBuilder(2 + items.size() * 6).append('{');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(value.applyAsLong(items.get(i)));
    }
    return b.append('}').toString();
  }
}
