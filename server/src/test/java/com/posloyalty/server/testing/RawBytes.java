package com.posloyalty.server.testing;

import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.Marshaller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Sends and receives a call's messages as raw bytes: for requests no protobuf library builds. */
public final class RawBytes {

  public static final Marshaller<byte[]> MARSHALLER = new Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private RawBytes() {}

  /** {@code method} with bytes in and out. */
  public static MethodDescriptor<byte[], byte[]> of(MethodDescriptor<?, ?> method) {
    return method.toBuilder(MARSHALLER, MARSHALLER).build();
  }
}
