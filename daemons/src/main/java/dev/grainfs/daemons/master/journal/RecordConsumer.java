package dev.grainfs.daemons.master.journal;

import java.io.IOException;

/** Receives the records that recovery replays, in txid order, on the thread that called {@link OpLog#open}. */
@FunctionalInterface
public interface RecordConsumer {
  /** Called once per record, txids strictly increasing by one; an exception aborts the open. */
  void accept(long txid, byte[] record) throws IOException;
}
