package dev.grainfs.core.vfs;

import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.wire.proto.Caller;

/**
 * POSIX permission bits for one caller against one stat: owner, then group (primary or
 * supplementary), then other; root passes everything except execute on a file nobody may execute.
 * The same rules as the master's, for the calls the master does not see (open, access).
 */
public final class Access {
    public static final int F_OK = 0;
    public static final int X_OK = 1;
    public static final int W_OK = 2;
    public static final int R_OK = 4;

    private Access() {
    }

    public static boolean allowed(FileStat st, Caller c, int mask) {
        mask &= 7;
        if (c.getUid() == 0) {
            return (mask & X_OK) == 0 || st.isDir() || (st.mode() & 0111) != 0;
        }
        int bits;
        if (st.uid() == c.getUid()) {
            bits = (st.mode() >> 6) & 7;
        } else if (inGroup(c, st.gid())) {
            bits = (st.mode() >> 3) & 7;
        } else {
            bits = st.mode() & 7;
        }
        return (bits & mask) == mask;
    }

    static boolean inGroup(Caller c, int gid) {
        if (c.getGid() == gid) {
            return true;
        }
        for (int g : c.getGroupsList()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }
}
