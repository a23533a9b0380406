package com.posloyalty.server.domain;

/** Where a change comes from: recorded on every ledger entry. */
public record Origin(String storeId, String terminalId, String channel, String operatorId) {

  /** The audit actor string for changes made at a terminal. */
  public String actor() {
    return "terminal:" + storeId + "/" + terminalId
        + (operatorId == null || operatorId.isEmpty() ? "" : " operator:" + operatorId);
  }

  public boolean unattended() {
    return "SELF_CHECKOUT".equals(channel);
  }
}
