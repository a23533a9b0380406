package com.posloyalty.client;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.IdentifyMemberResponse;
import com.posloyalty.v1.MemberStatus;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.PointsEarning;
import com.posloyalty.v1.QuoteBasketRequest;
import com.posloyalty.v1.QuoteBasketResponse;
import com.posloyalty.v1.Receipt;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReserveRedemptionResponse;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnItemsResponse;
import com.posloyalty.v1.ReturnReceipt;
import com.posloyalty.v1.Tier;
import com.posloyalty.v1.VoidTransactionRequest;
import com.posloyalty.v1.VoidTransactionResponse;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A stand-in for the loyalty service's CheckoutService, with the service's idempotency: a
 * request applied once is answered as a replay when it comes again. Tests switch it down,
 * make it fail a number of times, lose responses after applying, or refuse a member.
 */
public final class FakeCheckoutService extends CheckoutServiceGrpc.CheckoutServiceImplBase {
  /** Every idempotency key received, failed attempts included, in arrival order. */
  public final List<String> attempts = new CopyOnWriteArrayList<>();
  /** The keys applied, each once, in the order they were applied. */
  public final List<String> applied = new CopyOnWriteArrayList<>();
  /** The authorization header of every call received through {@link #intercepted()}. */
  public final List<String> authorizations = new CopyOnWriteArrayList<>();
  /** Every identify and enrol request received. */
  public final List<Message> received = new CopyOnWriteArrayList<>();
  /** Members refused with FAILED_PRECONDITION MEMBER_NOT_ACTIVE. */
  public final Set<String> blockedMembers = ConcurrentHashMap.newKeySet();
  /**
   * While true, every call is refused UNAVAILABLE with the service's reason
   * DATABASE_UNAVAILABLE, as the service refuses when its database is down.
   */
  public volatile boolean down;
  /** The next this-many calls are refused as while {@link #down}. */
  public final AtomicInteger failNext = new AtomicInteger();
  /** The next this-many applications are made but answered with UNAVAILABLE. */
  public final AtomicInteger loseResponses = new AtomicInteger();

  private final Map<String, Message> done = new ConcurrentHashMap<>();

  /** This service behind an interceptor that records each call's authorization header. */
  public ServerServiceDefinition intercepted() {
    Metadata.Key<String> authorization =
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    return ServerInterceptors.intercept(this, new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        authorizations.add(headers.containsKey(authorization) ? headers.get(authorization) : "");
        return next.startCall(call, headers);
      }
    });
  }

  @Override
  public void identifyMember(IdentifyMemberRequest request,
      StreamObserver<IdentifyMemberResponse> response) {
    received.add(request);
    answer(response, () -> IdentifyMemberResponse.newBuilder()
        .setMember(member(request.getMemberId().isEmpty() ? "mbr_1" : request.getMemberId()))
        .build());
  }

  @Override
  public void enrollMember(EnrollMemberRequest request,
      StreamObserver<EnrollMemberResponse> response) {
    received.add(request);
    answer(response, () -> EnrollMemberResponse.newBuilder().setMember(member("mbr_1"))
        .setCardNumber("4111111111111111").setWelcomeBonusPoints(100).build());
  }

  @Override
  public void quoteBasket(QuoteBasketRequest request,
      StreamObserver<QuoteBasketResponse> response) {
    answer(response, () -> QuoteBasketResponse.newBuilder()
        .setEarning(earning(request.getBasket().getLinesList())).setAvailablePoints(100).build());
  }

  @Override
  public void reserveRedemption(ReserveRedemptionRequest request,
      StreamObserver<ReserveRedemptionResponse> response) {
    answer(response, ReserveRedemptionResponse::getDefaultInstance);
  }

  @Override
  public void commitTransaction(CommitTransactionRequest request,
      StreamObserver<CommitTransactionResponse> response) {
    apply(request.getPosTransactionId(), request, request.getMemberId(), response, replayed ->
        CommitTransactionResponse.newBuilder().setReplayed(replayed).setReceipt(Receipt.newBuilder()
            .setPosTransactionId(request.getPosTransactionId()).setMemberId(request.getMemberId())
            .setEarning(earning(request.getBasket().getLinesList()))).build());
  }

  @Override
  public void returnItems(ReturnItemsRequest request,
      StreamObserver<ReturnItemsResponse> response) {
    apply(request.getReturnId(), request, "", response, replayed -> ReturnItemsResponse.newBuilder()
        .setReplayed(replayed).setReceipt(ReturnReceipt.newBuilder()
            .setReturnId(request.getReturnId())).build());
  }

  @Override
  public void voidTransaction(VoidTransactionRequest request,
      StreamObserver<VoidTransactionResponse> response) {
    apply("void:" + request.getOriginal().getPosTransactionId(), request, "", response,
        replayed -> VoidTransactionResponse.newBuilder().setReplayed(replayed)
            .setReceipt(ReturnReceipt.newBuilder().setReturnId("void")).build());
  }

  /** The service's idempotency: apply once, answer a replay with the first result. */
  private <T> void apply(String key, Message request, String memberId,
      StreamObserver<T> response, Function<Boolean, T> result) {
    attempts.add(key);
    if (unavailable()) {
      response.onError(refusal(Code.UNAVAILABLE, "DATABASE_UNAVAILABLE", "fake is down"));
      return;
    }
    if (blockedMembers.contains(memberId)) {
      response.onError(refusal(Code.FAILED_PRECONDITION, "MEMBER_NOT_ACTIVE", "member blocked"));
      return;
    }
    Message first = done.putIfAbsent(key, request);
    if (first != null && !first.equals(request)) {
      response.onError(refusal(Code.ALREADY_EXISTS, "TRANSACTION_KEY_REUSED", "key reused"));
      return;
    }
    if (first == null) {
      applied.add(key);
    }
    if (loseResponses.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
      response.onError(Status.UNAVAILABLE.withDescription("response lost").asRuntimeException());
      return;
    }
    response.onNext(result.apply(first != null));
    response.onCompleted();
  }

  private <T> void answer(StreamObserver<T> response, Supplier<T> result) {
    if (unavailable()) {
      response.onError(refusal(Code.UNAVAILABLE, "DATABASE_UNAVAILABLE", "fake is down"));
      return;
    }
    response.onNext(result.get());
    response.onCompleted();
  }

  private boolean unavailable() {
    return down || failNext.getAndUpdate(n -> Math.max(n - 1, 0)) > 0;
  }

  static StatusRuntimeException refusal(Code code, String reason, String message) {
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber()).setMessage(message)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain("posloyalty.v1")
            .setReason(reason).build()))
        .build());
  }

  private static MemberSummary member(String memberId) {
    return MemberSummary.newBuilder().setMemberId(memberId).setDisplayName("Alice")
        .setStatus(MemberStatus.MEMBER_STATUS_ACTIVE)
        .setTier(Tier.newBuilder().setTierId("silver").setDisplayName("Silver"))
        .setAvailablePoints(100).build();
  }

  /** One point per whole currency unit, as a simple stand-in for the earning rules. */
  private static PointsEarning earning(List<BasketLine> lines) {
    long minor = lines.stream().mapToLong(l -> l.getQuantity() * l.getUnitPriceMinor()).sum();
    return PointsEarning.newBuilder().setTotalPoints(minor / 100).build();
  }
}
