package com.posloyalty.server.api;

import static com.posloyalty.server.testing.Baskets.eur;
import static com.posloyalty.server.testing.Baskets.line;
import static com.posloyalty.server.testing.GrpcErrors.expect;
import static com.posloyalty.server.testing.GrpcErrors.fields;
import static com.posloyalty.server.testing.GrpcErrors.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.BirthDate;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.QuoteBasketRequest;
import com.posloyalty.server.testing.GrpcErrors;
import com.posloyalty.server.testing.RawBytes;
import com.posloyalty.v1.CheckoutServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input: the right status, a stable reason, the offending field named — never
 * INTERNAL — and nothing written.
 */
class CheckoutBadInputTest {

  static final PointOfSale LANE = TestServer.lane("s1", "lane-1");
  private static TestServer server;
  private static String member;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("badinput", Clock.systemUTC(), Map.of(),
        "UPDATE program SET max_basket_lines = 50");
    member = server.checkout().enrollMember(EnrollMemberRequest.newBuilder().setRequestId("e1")
        .setPointOfSale(LANE).setGivenName("Ada").setPhone("+4915100000099").build())
        .getMember().getMemberId();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static CommitTransactionRequest.Builder sale(Basket basket) {
    return CommitTransactionRequest.newBuilder().setPointOfSale(LANE).setPosTransactionId("bad-1")
        .setMemberId(member).setBasket(basket);
  }

  private static void refused(Status.Code code, String reason, List<String> fields,
      Supplier<?> call) {
    long writesBefore = writes();
    StatusRuntimeException e = expect(code, call::get);
    assertThat(reason(e)).isEqualTo(reason);
    assertThat(fields(e)).containsExactlyElementsOf(fields);
    assertThat(writes()).as("no partial write").isEqualTo(writesBefore);
  }

  private static long writes() {
    return server.queryLong("SELECT (SELECT count(*) FROM ledger_entries)"
        + " + (SELECT count(*) FROM transactions) + (SELECT count(*) FROM members)"
        + " + (SELECT count(*) FROM spend_events) + (SELECT count(*) FROM idempotency_records)");
  }

  @Test
  void emptyBasket() {
    refused(Status.Code.INVALID_ARGUMENT, "EMPTY_BASKET", List.of("basket.lines"),
        () -> server.checkout().commitTransaction(sale(eur()).build()));
    refused(Status.Code.INVALID_ARGUMENT, "EMPTY_BASKET", List.of("basket.lines"),
        () -> server.checkout().quoteBasket(QuoteBasketRequest.newBuilder().setPointOfSale(LANE)
            .setMemberId(member).build()));
  }

  @Test
  void zeroOrNegativeQuantityAndNegativePrice() {
    refused(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID",
        List.of("basket.lines[0].quantity", "basket.lines[1].quantity",
            "basket.lines[2].unit_price_minor"),
        () -> server.checkout().commitTransaction(sale(eur(line("1", "A", "", 0, 100),
            line("2", "B", "", -3, 100), line("3", "C", "", 1, -5))).build()));
  }

  @Test
  void extremeNumbersAreRefusedNotOverflowed() {
    refused(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID",
        List.of("basket.lines[0].quantity", "basket.lines[0].unit_price_minor"),
        () -> server.checkout().commitTransaction(sale(eur(
            line("1", "A", "", Long.MAX_VALUE, Long.MAX_VALUE))).build()));
    refused(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID", List.of("basket.lines[0].discount_minor"),
        () -> server.checkout().commitTransaction(sale(eur(line("1", "A", "", 2, 100).toBuilder()
            .setDiscountMinor(201).build())).build()));
  }

  @Test
  void currencyNotTheProgramsOrMalformed() {
    refused(Status.Code.INVALID_ARGUMENT, "CURRENCY_MISMATCH", List.of("basket.currency_code"),
        () -> server.checkout().commitTransaction(sale(eur(line("1", "A", "", 1, 100)).toBuilder()
            .setCurrencyCode("USD").build()).build()));
    refused(Status.Code.INVALID_ARGUMENT, "CURRENCY_INVALID", List.of("basket.currency_code"),
        () -> server.checkout().commitTransaction(sale(eur(line("1", "A", "", 1, 100)).toBuilder()
            .setCurrencyCode("euro").build()).build()));
  }

  @Test
  void unknownMember() {
    refused(Status.Code.NOT_FOUND, "MEMBER_NOT_FOUND", List.of(),
        () -> server.checkout().commitTransaction(sale(eur(line("1", "A", "", 1, 100)))
            .setMemberId("mbr_nobody").build()));
    // Nothing was claimed or written for a member that does not exist.
    assertThat(server.queryLong("SELECT count(*) FROM transactions WHERE member_id = 'mbr_nobody'"))
        .isZero();
    refused(Status.Code.NOT_FOUND, "MEMBER_NOT_FOUND", List.of(),
        () -> server.checkout().identifyMember(IdentifyMemberRequest.newBuilder()
            .setPointOfSale(LANE).setPhone("+4915100000098").build()));
  }

  @Test
  void oversizedBasketAgainstTheProgramLimitAndTheHardCap() {
    Basket.Builder big = Basket.newBuilder().setCurrencyCode("EUR");
    for (int i = 0; i < 51; i++) {
      big.addLines(line("l" + i, "SKU" + i, "", 1, 100));
    }
    refused(Status.Code.INVALID_ARGUMENT, "BASKET_TOO_LARGE", List.of("basket.lines"),
        () -> server.checkout().commitTransaction(sale(big.build()).build()));
    for (int i = 51; i < 1001; i++) {
      big.addLines(line("l" + i, "SKU" + i, "", 1, 100));
    }
    refused(Status.Code.INVALID_ARGUMENT, "BASKET_TOO_LARGE", List.of("basket.lines"),
        () -> server.checkout().commitTransaction(sale(big.build()).build()));
  }

  @Test
  void unknownEnumValuesAndMissingPointOfSale() {
    PointOfSale unknownChannel = LANE.toBuilder().setChannelValue(97).build();
    refused(Status.Code.INVALID_ARGUMENT, "CHANNEL_INVALID", List.of("point_of_sale.channel"),
        () -> server.checkout().commitTransaction(sale(eur(line("1", "A", "", 1, 100)))
            .setPointOfSale(unknownChannel).build()));
    refused(Status.Code.INVALID_ARGUMENT, "FIELD_REQUIRED", List.of("point_of_sale"),
        () -> server.checkout().commitTransaction(sale(eur(line("1", "A", "", 1, 100)))
            .clearPointOfSale().build()));
  }

  @Test
  void duplicateLineIdsAndOverlongIds() {
    BasketLine a = line("1", "A", "", 1, 100);
    refused(Status.Code.INVALID_ARGUMENT, "DUPLICATE_LINE", List.of("basket.lines[1].line_id"),
        () -> server.checkout().commitTransaction(sale(eur(a, a)).build()));
    refused(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID", List.of("pos_transaction_id"),
        () -> server.checkout().commitTransaction(sale(eur(a)).setPosTransactionId("x".repeat(65))
            .build()));
  }

  @Test
  void badEnrolments() {
    EnrollMemberRequest.Builder ok = EnrollMemberRequest.newBuilder().setRequestId("e-bad")
        .setPointOfSale(LANE).setGivenName("Bo").setPhone("+4915100000097");
    refused(Status.Code.INVALID_ARGUMENT, "CONTACT_REQUIRED", List.of("phone"),
        () -> server.checkout().enrollMember(ok.clone().clearPhone().build()));
    refused(Status.Code.INVALID_ARGUMENT, "INVALID_PHONE", List.of("phone"),
        () -> server.checkout().enrollMember(ok.clone().setPhone("12ab").build()));
    refused(Status.Code.INVALID_ARGUMENT, "INVALID_EMAIL", List.of("email"),
        () -> server.checkout().enrollMember(ok.clone().setEmail("not-an-email").build()));
    refused(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID", List.of("birth_date.day"),
        () -> server.checkout().enrollMember(ok.clone().setBirthDate(BirthDate.newBuilder()
            .setYear(2023).setMonth(2).setDay(29)).build()));
    refused(Status.Code.INVALID_ARGUMENT, "FIELD_REQUIRED", List.of("given_name"),
        () -> server.checkout().enrollMember(ok.clone().setGivenName(" ").build()));
    refused(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID", List.of("birth_date.year"),
        () -> server.checkout().enrollMember(ok.clone().setBirthDate(BirthDate.newBuilder()
            .setYear(Integer.MAX_VALUE).setMonth(2).setDay(10)).build()));
  }

  @Test
  void aRefusalNamingManyFieldsListsTheFirstTwentyAndTheCount() {
    BasketLine[] lines = new BasketLine[45];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = line(Integer.toString(i), "SKU" + i, "", 0, 100);
    }
    long writesBefore = writes();
    StatusRuntimeException e = expect(Status.Code.INVALID_ARGUMENT,
        () -> server.checkout().commitTransaction(sale(eur(lines)).build()));
    assertThat(reason(e)).isEqualTo("FIELD_INVALID");
    assertThat(fields(e)).hasSize(ErrorMapper.MAX_VIOLATIONS)
        .startsWith("basket.lines[0].quantity", "basket.lines[1].quantity");
    assertThat(GrpcErrors.info(e).getMetadataMap()).containsEntry("violation_count", "45");
    assertThat(writes()).isEqualTo(writesBefore);
  }

  @Test
  void aRequestThatIsNotValidProtobufIsRefusedAsMalformed() {
    byte[] valid = IdentifyMemberRequest.newBuilder().setPointOfSale(LANE)
        .setCardNumber("6006491234567890").build().toByteArray();
    // member_id (field 5, length-delimited) holding bytes that are not UTF-8.
    byte[] bad = java.util.Arrays.copyOf(valid, valid.length + 4);
    System.arraycopy(new byte[] {0x2a, 2, (byte) 0xff, (byte) 0xfe}, 0, bad, valid.length, 4);
    MethodDescriptor<byte[], byte[]> raw =
        RawBytes.of(CheckoutServiceGrpc.getIdentifyMemberMethod());
    long writesBefore = writes();
    StatusRuntimeException e = expect(Status.Code.INVALID_ARGUMENT,
        () -> ClientCalls.blockingUnaryCall(server.channel(), raw,
            CallOptions.DEFAULT.withCallCredentials(TestServer.bearer(server.apiKey()))
                .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS), bad));
    assertThat(reason(e)).isEqualTo("MALFORMED_REQUEST");
    assertThat(writes()).isEqualTo(writesBefore);
  }

  @Test
  void saleTimeOutsideTheBackdatingWindow() {
    refused(Status.Code.INVALID_ARGUMENT, "OCCUR_TIME_OUT_OF_WINDOW", List.of("occur_time"),
        () -> server.checkout().commitTransaction(sale(eur(line("1", "A", "", 1, 100)))
            .setOccurTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_000_000)).build()));
  }
}
