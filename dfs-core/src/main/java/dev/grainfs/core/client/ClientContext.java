package dev.grainfs.core.client;

import dev.grainfs.core.wire.RpcClient;

/** What every part of a client shares: its configuration, its connections, its master link. */
record ClientContext(ClientConfig config, RpcClient rpc, MasterClient master) {
}
