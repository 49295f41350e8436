package dev.grainfs.core.id;

/** A chunkserver's persistent identity (kept in its data dirs), stable across restarts and address changes. */
public record ServerId(String value) {
    public ServerId {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty server id");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
