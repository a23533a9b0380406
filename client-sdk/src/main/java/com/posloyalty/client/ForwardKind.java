package com.posloyalty.client;

import com.google.protobuf.Message;
import com.posloyalty.v1.CheckoutServiceGrpc;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;

/** The calls the SDK can store and forward: those that record something already done. */
public enum ForwardKind {
  /** {@code CheckoutService.CommitTransaction}: a finished sale. */
  COMMIT_TRANSACTION(1, CheckoutServiceGrpc.getCommitTransactionMethod()),
  /** {@code CheckoutService.ReturnItems}: a return against an earlier sale. */
  RETURN_ITEMS(2, CheckoutServiceGrpc.getReturnItemsMethod()),
  /** {@code CheckoutService.VoidTransaction}: the void of a whole sale. */
  VOID_TRANSACTION(3, CheckoutServiceGrpc.getVoidTransactionMethod());

  private final byte code;
  private final MethodDescriptor<? extends Message, ? extends Message> method;

  ForwardKind(int code, MethodDescriptor<? extends Message, ? extends Message> method) {
    this.code = (byte) code;
    this.method = method;
  }

  /** The byte that stands for this kind in journal files. */
  byte code() {
    return code;
  }

  /**
   * The RPC that delivers this kind. Its request type is the one {@link #parse} returns, so the
   * widened type is safe to call with a parsed request.
   */
  @SuppressWarnings("unchecked")
  MethodDescriptor<Message, Message> method() {
    return (MethodDescriptor<Message, Message>) method;
  }

  /** Reads a request of this kind from its serialized bytes. */
  Message parse(byte[] request) {
    return (Message) method.parseRequest(new ByteArrayInputStream(request));
  }

  /** The kind a journal byte stands for, or {@code null} for an unknown byte. */
  static ForwardKind fromCode(byte code) {
    for (ForwardKind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    return null;
  }
}
