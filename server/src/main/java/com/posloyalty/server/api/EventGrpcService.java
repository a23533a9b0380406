package com.posloyalty.server.api;

import com.posloyalty.v1.EventServiceGrpc;
import javax.inject.Inject;

/**
 * EventService: registered so reflection lists it; StreamEvents answers UNIMPLEMENTED
 * until the event feed lands. Its outbox is already written by every change.
 */
public final class EventGrpcService extends EventServiceGrpc.EventServiceImplBase {

  @Inject
  EventGrpcService() {}
}
