package com.posloyalty.server.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.flow.ApiKeys;
import com.posloyalty.server.flow.ApiKeys.Principal;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;

/**
 * Every loyalty call carries {@code authorization: Bearer <key>}. The key must be valid
 * and active, have a scope the service accepts, and — for keys bound to a store — act
 * for that store only: the request's {@code point_of_sale.store_id} and, for returns
 * and voids, the original sale's {@code original.store_id} must be the key's store.
 */
public final class AuthInterceptor implements ServerInterceptor {

  /** The authenticated caller, for the interceptors and services after this one. */
  public static final Context.Key<Principal> PRINCIPAL = Context.key("loyalty-principal");
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  static final Map<String, Set<Scope>> SCOPES = Map.of(
      "posloyalty.v1.CheckoutService", EnumSet.of(Scope.CHECKOUT, Scope.BACKOFFICE),
      "posloyalty.v1.MemberAdminService", EnumSet.of(Scope.BACKOFFICE),
      "posloyalty.v1.ProgramAdminService", EnumSet.of(Scope.ADMIN),
      "posloyalty.v1.EventService", EnumSet.of(Scope.BACKOFFICE, Scope.ADMIN));
  /** VerifyLedger is also open to admins. */
  static final String VERIFY_LEDGER = "posloyalty.v1.MemberAdminService/VerifyLedger";
  private static final List<String> STORE_FIELDS = List.of("point_of_sale", "original");

  private final ApiKeys keys;

  /**
   * The audit actor of the current call: its key, and the key's store when it is bound to
   * one ("system" outside a call).
   */
  static String actor() {
    Principal p = PRINCIPAL.get();
    return p == null ? "system"
        : "key:" + p.keyId() + p.storeId().map(store -> " store:" + store).orElse("");
  }

  @Inject
  AuthInterceptor(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Principal principal;
    try {
      principal = authorize(call.getMethodDescriptor().getFullMethodName(),
          call.getMethodDescriptor().getServiceName(), headers.get(AUTHORIZATION));
    } catch (RuntimeException e) {
      CallGuard.close(call, e);
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(PRINCIPAL, principal);
    ServerCall.Listener<Q> listener = Contexts.interceptCall(context, call, headers, next);
    return new CallGuard<>(listener, call) {
      @Override
      void check(Q message) {
        checkStore(principal, message);
      }
    };
  }

  private Principal authorize(String method, String service, String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw Refusal.of(Refusal.Kind.UNAUTHENTICATED, "API_KEY_INVALID",
          "missing API key (send authorization: Bearer <key>)");
    }
    Principal principal = keys.authenticate(header.substring(7).strip());
    Set<Scope> accepted = EnumSet.copyOf(SCOPES.getOrDefault(service, EnumSet.of(Scope.ADMIN)));
    if (method.equals(VERIFY_LEDGER)) {
      accepted.add(Scope.ADMIN);
    }
    if (principal.scopes().stream().noneMatch(accepted::contains)) {
      throw Refusal.of(Refusal.Kind.PERMISSION_DENIED, "SCOPE_MISSING",
          "this API key lacks the scope " + accepted + " that " + service + " needs");
    }
    return principal;
  }

  /**
   * A store-bound key acts for its own store only. A request that names no store (the field
   * missing or empty, or bytes that did not parse) is left to the validator, which runs next
   * and refuses it as the bad input it is, naming the field: a store-bound key never reaches
   * a flow without its own store.
   */
  static void checkStore(Principal principal, Object message) {
    if (principal.storeId().isEmpty() || !(message instanceof Message m)
        || MalformedRequests.isMalformed(message)) {
      return;
    }
    String store = principal.storeId().get();
    for (String name : STORE_FIELDS) {
      FieldDescriptor field = m.getDescriptorForType().findFieldByName(name);
      if (field == null || field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      Message sub = (Message) m.getField(field);
      FieldDescriptor storeField = sub.getDescriptorForType().findFieldByName("store_id");
      Object named = storeField == null ? "" : sub.getField(storeField);
      if (!"".equals(named) && !store.equals(named)) {
        throw Refusal.of(Refusal.Kind.PERMISSION_DENIED, "STORE_MISMATCH",
            name + ".store_id: this API key acts for store " + store + " only");
      }
    }
  }
}
