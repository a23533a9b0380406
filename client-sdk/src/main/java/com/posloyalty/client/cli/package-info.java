/**
 * The operator CLI, {@code client-sdk/target/posloyalty-cli.jar}: see
 * {@link com.posloyalty.client.cli.LoyaltyCli}.
 */
package com.posloyalty.client.cli;
