package dev.grainfs.daemons.node;

import dev.grainfs.core.GrainException;
import java.io.IOException;

/**
 * Answers one message type from the request body. Called on the node's one thread after
 * {@link Cluster#tick}; throws NodeError for an error reply, GrainException when the master's
 * classes refuse (mapped to a code), IOException when a replica file fails (error 13).
 */
@FunctionalInterface
interface Handler {
    Reply handle(Fields body) throws NodeError, GrainException, IOException;
}
