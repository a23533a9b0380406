package com.posloyalty.server.api;

import com.google.protobuf.Timestamp;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.flow.ApiKeys;
import com.posloyalty.server.store.ApiKeyStore.StoredKey;
import com.posloyalty.v1.ApiKey;
import com.posloyalty.v1.ApiKeyScope;
import com.posloyalty.v1.CreateApiKeyRequest;
import com.posloyalty.v1.CreateApiKeyResponse;
import com.posloyalty.v1.ListApiKeysRequest;
import com.posloyalty.v1.ListApiKeysResponse;
import com.posloyalty.v1.ProgramAdminServiceGrpc;
import com.posloyalty.v1.RevokeApiKeyRequest;
import com.posloyalty.v1.RevokeApiKeyResponse;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;

/**
 * ProgramAdminService over gRPC. API key administration is served; the rule RPCs are
 * inherited and answer UNIMPLEMENTED until program administration lands.
 */
public final class ProgramAdminGrpcService
    extends ProgramAdminServiceGrpc.ProgramAdminServiceImplBase {

  private final ApiKeys keys;

  @Inject
  ProgramAdminGrpcService(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public void createApiKey(CreateApiKeyRequest request,
      StreamObserver<CreateApiKeyResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.id("request_id", request.getRequestId(), CheckoutValidator.MAX_ID);
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      if (request.getScopesCount() == 0) {
        v.add("scopes", "at least one scope is required", "SCOPE_INVALID");
      }
      for (int i = 0; i < request.getScopesCount(); i++) {
        ApiKeyScope scope = request.getScopes(i);
        if (scope == ApiKeyScope.API_KEY_SCOPE_UNSPECIFIED || scope == ApiKeyScope.UNRECOGNIZED) {
          v.add("scopes[" + i + "]", "must be CHECKOUT, BACKOFFICE or ADMIN", "SCOPE_INVALID");
        } else {
          scopes.add(Scope.valueOf(scope.name().substring("API_KEY_SCOPE_".length())));
        }
      }
      if (!request.getStoreId().isEmpty()) {
        v.id("store_id", request.getStoreId(), CheckoutValidator.MAX_ID);
      }
      v.text("label", request.getLabel(), 0, 100);
      v.check();
      ApiKeys.Created created = keys.create(scopes,
          request.getStoreId().isEmpty() ? Optional.empty() : Optional.of(request.getStoreId()),
          request.getLabel(), actor());
      return CreateApiKeyResponse.newBuilder().setApiKey(toProto(created.key()))
          .setSecret(created.secret()).build();
    });
  }

  @Override
  public void listApiKeys(ListApiKeysRequest request, StreamObserver<ListApiKeysResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.range("page_size", request.getPageSize(), 0, 1000);
      Optional<Instant> before = Optional.empty();
      if (!request.getPageToken().isEmpty()) {
        try {
          before = Optional.of(Instant.ofEpochMilli(Long.parseLong(request.getPageToken())));
        } catch (NumberFormatException e) {
          v.add("page_token", "is not a token from this list", "PAGE_TOKEN_INVALID");
        }
      }
      v.check();
      int size = request.getPageSize() == 0 ? 100 : request.getPageSize();
      List<StoredKey> page = keys.list(request.getStoreId().isEmpty() ? Optional.empty()
          : Optional.of(request.getStoreId()), request.getShowRevoked(), before, size);
      ListApiKeysResponse.Builder b = ListApiKeysResponse.newBuilder();
      page.forEach(k -> b.addApiKeys(toProto(k)));
      if (page.size() == size) {
        b.setNextPageToken(Long.toString(page.get(page.size() - 1).createdAt().toEpochMilli()));
      }
      return b.build();
    });
  }

  @Override
  public void revokeApiKey(RevokeApiKeyRequest request,
      StreamObserver<RevokeApiKeyResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.id("key_id", request.getKeyId(), CheckoutValidator.MAX_ID);
      v.check();
      return RevokeApiKeyResponse.newBuilder()
          .setApiKey(toProto(keys.revoke(request.getKeyId(), actor()))).build();
    });
  }

  private static String actor() {
    ApiKeys.Principal p = AuthInterceptor.PRINCIPAL.get();
    return p == null ? "system" : "key:" + p.keyId();
  }

  static ApiKey toProto(StoredKey k) {
    ApiKey.Builder b = ApiKey.newBuilder().setKeyId(k.keyId()).setLabel(k.label())
        .setStoreId(k.storeId().orElse(""))
        .setCreateTime(Timestamp.newBuilder().setSeconds(k.createdAt().getEpochSecond()));
    k.scopes().forEach(s -> b.addScopes(ApiKeyScope.valueOf("API_KEY_SCOPE_" + s.name())));
    k.revokedAt().ifPresent(t -> b.setRevokeTime(Timestamp.newBuilder().setSeconds(t.getEpochSecond())));
    return b.build();
  }
}
