package com.posloyalty.server.domain;

/** What an API key may do. */
public enum Scope {
  /** CheckoutService, for the key's own store. */
  CHECKOUT,
  /** MemberAdminService, CheckoutService at the service desk, the event feed. */
  BACKOFFICE,
  /** ProgramAdminService (rules and keys) and the event feed of every store. */
  ADMIN
}
