package com.posloyalty.server.api;

import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.QuoteBasketRequest;
import com.posloyalty.v1.ReleaseRedemptionRequest;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.VoidTransactionRequest;
import com.posloyalty.server.domain.Refusal;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Map;
import java.util.function.Consumer;
import javax.inject.Inject;

/**
 * Edge validation, in one place, before any service code: each request type's checks
 * (lengths, ranges, required fields, known enum values) run here and a refusal names
 * every bad field. Request types without an entry have their checks in their service.
 */
public final class ValidationInterceptor implements ServerInterceptor {

  private static final Map<Class<?>, Consumer<Object>> RULES = Map.of(
      IdentifyMemberRequest.class, m -> CheckoutValidator.identify((IdentifyMemberRequest) m),
      EnrollMemberRequest.class, m -> CheckoutValidator.enroll((EnrollMemberRequest) m),
      QuoteBasketRequest.class, m -> CheckoutValidator.quote((QuoteBasketRequest) m),
      CommitTransactionRequest.class, m -> CheckoutValidator.commit((CommitTransactionRequest) m),
      ReturnItemsRequest.class, m -> CheckoutValidator.returnItems((ReturnItemsRequest) m),
      VoidTransactionRequest.class,
      m -> CheckoutValidator.voidTransaction((VoidTransactionRequest) m),
      ReserveRedemptionRequest.class, m -> CheckoutValidator.reserve((ReserveRedemptionRequest) m),
      ReleaseRedemptionRequest.class, m -> CheckoutValidator.release((ReleaseRedemptionRequest) m));

  @Inject
  ValidationInterceptor() {}

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new CallGuard<>(next.startCall(call, headers), call) {
      @Override
      void check(Q message) {
        if (MalformedRequests.isMalformed(message)) {
          throw Refusal.of(Refusal.Kind.INVALID_ARGUMENT, "MALFORMED_REQUEST", "the request is"
              + " not a valid protobuf message of its type (e.g. a string field that is not UTF-8)");
        }
        Consumer<Object> rule = RULES.get(message.getClass());
        if (rule != null) {
          rule.accept(message);
        }
      }
    };
  }
}
