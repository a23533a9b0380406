package com.posloyalty.server.api;

import com.posloyalty.v1.ProgramAdminServiceGrpc;
import javax.inject.Inject;

/**
 * ProgramAdminService: registered so reflection lists it and clients get a clean
 * UNIMPLEMENTED until program administration lands (every RPC is inherited).
 */
public final class ProgramAdminGrpcService
    extends ProgramAdminServiceGrpc.ProgramAdminServiceImplBase {

  @Inject
  ProgramAdminGrpcService() {}
}
