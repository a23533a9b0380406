package com.posloyalty.server.api;

import com.posloyalty.server.flow.CommitTransactionFlow;
import com.posloyalty.server.flow.EnrollMemberFlow;
import com.posloyalty.server.flow.IdentifyMemberFlow;
import com.posloyalty.server.flow.QuoteBasketFlow;
import com.posloyalty.server.flow.RedemptionFlow;
import com.posloyalty.server.flow.ReturnFlow;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.IdentifyMemberResponse;
import com.posloyalty.v1.QuoteBasketRequest;
import com.posloyalty.v1.QuoteBasketResponse;
import com.posloyalty.v1.ReleaseRedemptionRequest;
import com.posloyalty.v1.ReleaseRedemptionResponse;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReserveRedemptionResponse;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnItemsResponse;
import com.posloyalty.v1.VoidTransactionRequest;
import com.posloyalty.v1.VoidTransactionResponse;
import io.grpc.stub.StreamObserver;
import javax.inject.Inject;

/**
 * CheckoutService over gRPC: hand each (already validated) request to its flow, map errors.
 * IdentifyMember answers a cache hit from Redis's reply, without parking a worker on it.
 * ListMemberOffers and ActivateOffer are inherited and answer UNIMPLEMENTED until offers land.
 */
public final class CheckoutGrpcService extends CheckoutServiceGrpc.CheckoutServiceImplBase {

  private final IdentifyMemberFlow identify;
  private final EnrollMemberFlow enroll;
  private final QuoteBasketFlow quote;
  private final CommitTransactionFlow commit;
  private final ReturnFlow returns;
  private final RedemptionFlow redemptions;
  private final CallWorkers workers;

  @Inject
  CheckoutGrpcService(IdentifyMemberFlow identify, EnrollMemberFlow enroll,
      QuoteBasketFlow quote, CommitTransactionFlow commit, ReturnFlow returns,
      RedemptionFlow redemptions, CallWorkers workers) {
    this.identify = identify;
    this.enroll = enroll;
    this.quote = quote;
    this.commit = commit;
    this.returns = returns;
    this.redemptions = redemptions;
    this.workers = workers;
  }

  @Override
  public void identifyMember(IdentifyMemberRequest request,
      StreamObserver<IdentifyMemberResponse> observer) {
    Unary.runAsync(observer, () -> identify.identify(request, workers)
        .thenApply(member -> IdentifyMemberResponse.newBuilder().setMember(member).build()));
  }

  @Override
  public void enrollMember(EnrollMemberRequest request,
      StreamObserver<EnrollMemberResponse> observer) {
    Unary.run(observer, () -> {
      return enroll.enroll(request, CheckoutValidator.origin(request.getPointOfSale()));
    });
  }

  @Override
  public void quoteBasket(QuoteBasketRequest request, StreamObserver<QuoteBasketResponse> observer) {
    Unary.run(observer, () -> {
      return quote.quote(request, CheckoutValidator.origin(request.getPointOfSale()));
    });
  }

  @Override
  public void commitTransaction(CommitTransactionRequest request,
      StreamObserver<CommitTransactionResponse> observer) {
    Unary.runAsync(observer, () ->
        commit.commit(request, CheckoutValidator.origin(request.getPointOfSale()), workers));
  }

  @Override
  public void returnItems(ReturnItemsRequest request, StreamObserver<ReturnItemsResponse> observer) {
    Unary.run(observer, () -> {
      return returns.returnItems(request, CheckoutValidator.origin(request.getPointOfSale()));
    });
  }

  @Override
  public void voidTransaction(VoidTransactionRequest request,
      StreamObserver<VoidTransactionResponse> observer) {
    Unary.run(observer, () -> {
      return returns.voidTransaction(request, CheckoutValidator.origin(request.getPointOfSale()));
    });
  }

  @Override
  public void reserveRedemption(ReserveRedemptionRequest request,
      StreamObserver<ReserveRedemptionResponse> observer) {
    Unary.run(observer, () -> {
      return redemptions.reserve(request, CheckoutValidator.origin(request.getPointOfSale()));
    });
  }

  @Override
  public void releaseRedemption(ReleaseRedemptionRequest request,
      StreamObserver<ReleaseRedemptionResponse> observer) {
    Unary.run(observer, () -> {
      return redemptions.release(request, CheckoutValidator.origin(request.getPointOfSale()));
    });
  }
}
