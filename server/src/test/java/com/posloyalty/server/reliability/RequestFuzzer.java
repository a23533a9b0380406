package com.posloyalty.server.reliability;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.UnknownFieldSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates request messages for any RPC from its descriptor: every field may be set
 * (oneofs included) with values meant to break things — numbers at and near the int64
 * and int32 limits, empty, huge, non-ASCII and control-character strings, unknown enum
 * numbers, repeated fields with thousands of elements, nested messages with nonsense
 * timestamps — mixed with real ids (members, cards, sales, reservations) so that
 * requests also get past validation and into the flows. Some requests carry a string
 * field whose bytes are not UTF-8, which no protobuf library will build, so those are
 * written on the wire by hand.
 */
final class RequestFuzzer {

  /** Keeps every request under the server's 1 MiB message limit. */
  static final int MAX_BYTES = 1_000_000;
  private static final int MAX_DEPTH = 4;
  private static final long[] EDGE_LONGS = {0, 1, -1, 2, Long.MAX_VALUE, Long.MIN_VALUE,
      Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, Long.MAX_VALUE / 2, Long.MAX_VALUE / 100,
      Integer.MAX_VALUE, Integer.MIN_VALUE, 100_000, 100_001, 100_000_000_000L,
      100_000_000_001L, 1_000_000_000_000L, 253402300799L, 253402300800L, 999_999_999,
      1_000_000_000, -999_999_999};
  private static final String[] NASTY = {"", " ", "\t\n", "\u0000", "null", "NaN", "-0",
      "'; DROP TABLE members; --", "%s%s%n", "${jndi:ldap://x}", "../../etc/passwd",
      "\u202e\u0635\u0648\u0631\u0629", "\uD83D\uDE00\uD83C\uDF89", "e\u0301\u0301\u0301",
      "\uFEFF", "\uFFFF", "+4915100000000", "not-an-email@", "a@b.c",
      "9999999999999999999999", "EUR", "eur", "XXX", "lane-1", "s1", "1", "2",
      "CHANNEL_STAFFED_LANE", "Bearer x"};

  /** Keys a plausible request often takes fresh, so that new sales and returns happen. */
  private static final Set<String> FRESH = Set.of("pos_transaction_id", "request_id", "return_id");

  private final Random random;
  private final Map<String, List<String>> ids;

  /**
   * @param ids real values by field name ("member_id" → member ids …), used for a share of
   *     the values so that requests reach the flows behind validation
   */
  RequestFuzzer(Random random, Map<String, List<String>> ids) {
    this.random = random;
    this.ids = ids;
  }

  /**
   * A request of {@code type}: half the time wholly random, half the time plausible (real
   * ids, known enum values, sane numbers, often with one field made wild), so that requests
   * also get past validation and exercise the flows.
   */
  DynamicMessage message(Descriptor type) {
    boolean plausible = random.nextBoolean();
    for (int attempt = 0; ; attempt++) {
      DynamicMessage m = plausible ? mutateOneField(build(type, 0, false, true))
          : build(type, 0, attempt < 3, false);
      if (m.getSerializedSize() <= MAX_BYTES) {
        return m;
      }
    }
  }

  /** Half the time, one field of {@code m} replaced by a wild value. */
  private DynamicMessage mutateOneField(DynamicMessage m) {
    List<FieldDescriptor> fields = m.getDescriptorForType().getFields();
    if (fields.isEmpty() || random.nextBoolean()) {
      return m;
    }
    FieldDescriptor field = fields.get(random.nextInt(fields.size()));
    DynamicMessage.Builder b = m.toBuilder().clearField(field);
    if (field.isRepeated()) {
      int n = random.nextInt(10) == 0 ? 1_000 + random.nextInt(4_000) : random.nextInt(4);
      for (int i = 0; i < n; i++) {
        Object v = value(field, 1, false, false);
        if (v != null) {
          b.addRepeatedField(field, v);
        }
      }
    } else {
      Object v = value(field, 1, true, false);
      if (v != null) {
        b.setField(field, v);
      }
    }
    return b.build();
  }

  /**
   * The message's bytes followed by one of its string fields again, with bytes that are
   * not UTF-8 (the last occurrence of a field wins when parsing): null if it has none.
   */
  byte[] withInvalidUtf8(Descriptor type, DynamicMessage message) {
    List<FieldDescriptor> strings = type.getFields().stream()
        .filter(f -> f.getType() == FieldDescriptor.Type.STRING).toList();
    if (strings.isEmpty()) {
      return null;
    }
    FieldDescriptor field = strings.get(random.nextInt(strings.size()));
    byte[][] invalid = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0,
        (byte) 0x80}, {'a', (byte) 0x80, 'b'}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80,
        (byte) 0x80, (byte) 0x80}};
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      message.writeTo(out);
      CodedOutputStream coded = CodedOutputStream.newInstance(out);
      coded.writeByteArray(field.getNumber(), invalid[random.nextInt(invalid.length)]);
      coded.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private DynamicMessage build(Descriptor type, int depth, boolean allowHuge,
      boolean plausible) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    for (FieldDescriptor field : type.getFields()) {
      // Leave some fields unset; a oneof gets whichever member is set last.
      if (!plausible && random.nextInt(5) == 0) {
        continue;
      }
      if (field.isRepeated()) {
        int n = allowHuge && random.nextInt(60) == 0 ? 1_000 + random.nextInt(9_000)
            : plausible ? plausibleCount(field) : random.nextInt(4);
        for (int i = 0; i < n; i++) {
          Object v = value(field, depth, false, plausible);
          if (v != null) {
            b.addRepeatedField(field, v);
          }
        }
      } else {
        Object v = value(field, depth, allowHuge, plausible);
        if (v != null) {
          b.setField(field, v);
        }
      }
    }
    if (!plausible && random.nextInt(20) == 0) {
      // A field number the API does not have: parsers keep it as unknown.
      b.setUnknownFields(UnknownFieldSet.newBuilder()
          .addField(900 + random.nextInt(100), UnknownFieldSet.Field
              .newBuilder().addVarint(random.nextLong()).build()).build());
    }
    return b.build();
  }

  private Object value(FieldDescriptor field, int depth, boolean allowHuge, boolean plausible) {
    if (plausible && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      String type = field.getMessageType().getFullName();
      if (type.equals("google.protobuf.Timestamp")) {
        // Around now, so that sale times fall inside the accepted window.
        return DynamicMessage.newBuilder(field.getMessageType())
            .setField(field.getMessageType().findFieldByName("seconds"),
                System.currentTimeMillis() / 1000 - random.nextInt(3_600)).build();
      }
      if (type.equals("google.protobuf.Duration")) {
        return DynamicMessage.newBuilder(field.getMessageType())
            .setField(field.getMessageType().findFieldByName("seconds"),
                30L + random.nextInt(870)).build();
      }
    }
    return switch (field.getJavaType()) {
      case STRING -> plausible ? plausibleString(field.getName())
          : string(field.getName(), allowHuge);
      case LONG -> plausible ? (field.getName().startsWith("discount") ? 0L
          : 1L + random.nextInt(5_000)) : edgeOrRandomLong();
      case INT -> plausible ? 1 + random.nextInt(12) : (int) edgeOrRandomLong();
      case BOOLEAN -> random.nextBoolean();
      case DOUBLE -> random.nextGaussian() * 1e300;
      case FLOAT -> (float) random.nextGaussian() * 1e30f;
      case BYTE_STRING -> ByteString.copyFrom(new byte[random.nextInt(64)]);
      case ENUM -> enumValue(field.getEnumType(), plausible);
      case MESSAGE -> depth >= MAX_DEPTH ? null : build(field.getMessageType(), depth + 1,
          allowHuge && random.nextInt(4) == 0, plausible);
    };
  }

  /** One or two lines, reasons … ; at most one id (a reservation to capture, say). */
  private int plausibleCount(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? 1 + random.nextInt(2)
        : random.nextInt(2);
  }

  /** A real value where there is one (a fresh id half the time, for new sales and keys). */
  private String plausibleString(String fieldName) {
    List<String> known = known(fieldName);
    return known != null && (!FRESH.contains(fieldName) || random.nextBoolean())
        ? known.get(random.nextInt(known.size())) : randomId(1 + random.nextInt(12));
  }

  private Object enumValue(EnumDescriptor type, boolean plausible) {
    if (plausible && type.getValues().size() > 1) {
      return type.getValues().get(1 + random.nextInt(type.getValues().size() - 1));
    }
    if (random.nextInt(4) == 0) {
      int[] unknown = {-1, 99, 1000, Integer.MAX_VALUE, Integer.MIN_VALUE, type.getValues().size()};
      return type.findValueByNumberCreatingIfUnknown(unknown[random.nextInt(unknown.length)]);
    }
    return type.getValues().get(random.nextInt(type.getValues().size()));
  }

  private long edgeOrRandomLong() {
    return switch (random.nextInt(4)) {
      case 0 -> EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
      case 1 -> random.nextLong();
      case 2 -> random.nextInt(10_000);
      default -> EDGE_LONGS[random.nextInt(EDGE_LONGS.length)] + random.nextInt(3) - 1;
    };
  }

  /** Real values for a field, by its name ("reservation_ids" takes "reservation_id"'s). */
  private List<String> known(String fieldName) {
    return ids.get(fieldName.endsWith("s") && !ids.containsKey(fieldName)
        ? fieldName.substring(0, fieldName.length() - 1) : fieldName);
  }

  private String string(String fieldName, boolean allowHuge) {
    List<String> known = known(fieldName);
    int pick = random.nextInt(20);
    if (known != null && pick < 9) {
      return known.get(random.nextInt(known.size()));
    }
    if (pick < 12) {
      return NASTY[random.nextInt(NASTY.length)];
    }
    if (pick < 14) {
      return randomText(1 + random.nextInt(80), random.nextBoolean());
    }
    if (pick == 14 && allowHuge) {
      return randomText(1_000 + random.nextInt(300_000), random.nextBoolean());
    }
    return randomId(1 + random.nextInt(70));
  }

  private String randomId(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-";
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  /** Any code points (surrogates excluded: a Java string must stay encodable). */
  private String randomText(int length, boolean unicode) {
    StringBuilder s = new StringBuilder(length);
    while (s.length() < length) {
      int cp = unicode ? random.nextInt(0x10FFFF) : random.nextInt(128);
      if (cp < 0xD800 || cp > 0xDFFF) {
        s.appendCodePoint(cp);
      }
    }
    return s.toString();
  }
}
