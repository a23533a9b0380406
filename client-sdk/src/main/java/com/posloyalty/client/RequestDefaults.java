package com.posloyalty.client;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.posloyalty.v1.PointOfSale;
import java.util.List;
import java.util.UUID;

/**
 * Fills what a caller may leave out of a request: the point of sale's empty fields from the
 * client's configuration, and an empty idempotency key ({@code request_id}, {@code return_id})
 * with a new UUID. It works on the proto descriptors, so every request type of the API is
 * treated the same way. The key is set before the first attempt, so the automatic retries and
 * any store-and-forward replay carry the same key.
 */
final class RequestDefaults {
  private static final List<String> KEY_FIELDS = List.of("request_id", "return_id");

  private final PointOfSale pointOfSale;

  RequestDefaults(PointOfSale pointOfSale) {
    this.pointOfSale = pointOfSale;
  }

  /** Returns {@code request} with its defaults filled in (the same object when none were). */
  @SuppressWarnings("unchecked")
  <M extends Message> M apply(M request) {
    Descriptor type = request.getDescriptorForType();
    Message.Builder filled = null;
    FieldDescriptor where = type.findFieldByName("point_of_sale");
    if (where != null && where.getMessageType().equals(PointOfSale.getDescriptor())) {
      PointOfSale given = (PointOfSale) request.getField(where);
      PointOfSale merged = pointOfSale.toBuilder().mergeFrom(given).build();
      if (!merged.equals(given)) {
        filled = request.toBuilder().setField(where, merged);
      }
    }
    for (String name : KEY_FIELDS) {
      FieldDescriptor key = type.findFieldByName(name);
      if (key != null && ((String) request.getField(key)).isEmpty()) {
        filled = (filled != null ? filled : request.toBuilder())
            .setField(key, UUID.randomUUID().toString());
      }
    }
    return filled == null ? request : (M) filled.build();
  }
}
