/**
 * The Java SDK of the POS Loyalty service. Start with
 * {@link com.posloyalty.client.LoyaltyClient#builder()}; lanes call
 * {@link com.posloyalty.client.CheckoutClient}, back-office systems
 * {@link com.posloyalty.client.MemberAdminClient}. Requests and responses are the API's own
 * messages ({@code com.posloyalty.v1}); failures are
 * {@link com.posloyalty.client.LoyaltyException}s. docs/integrating-a-lane.md walks through a
 * lane integration.
 */
package com.posloyalty.client;
