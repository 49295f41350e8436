package dev.grainfs.core.vfs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.FileType;
import org.junit.jupiter.api.Test;

class AccessTest {
    static FileStat st(FileType type, int mode, int uid, int gid) {
        return new FileStat(5, type, mode, uid, gid, 0, 0, 0, 0, 3, 1 << 20, 1, 0, "");
    }

    static Caller who(int uid, int gid, Integer... groups) {
        return Caller.newBuilder().setUid(uid).setGid(gid).addAllGroups(java.util.List.of(groups)).build();
    }

    @Test
    void ownerBitsWinEvenWhenGroupOrOtherWouldAllow() {
        FileStat f = st(FileType.REGULAR, 0077, 1000, 1000);
        assertFalse(Access.allowed(f, who(1000, 1000), Access.R_OK));
        assertTrue(Access.allowed(f, who(1001, 1000), Access.R_OK | Access.W_OK));
    }

    @Test
    void supplementaryGroupsCount() {
        FileStat f = st(FileType.REGULAR, 0640, 1, 50);
        assertFalse(Access.allowed(f, who(1000, 1000), Access.R_OK));
        assertTrue(Access.allowed(f, who(1000, 1000, 7, 50), Access.R_OK));
        assertFalse(Access.allowed(f, who(1000, 1000, 50), Access.W_OK));
    }

    @Test
    void rootPassesAllButExecuteOfAFileNobodyMayExecute() {
        Caller root = who(0, 0);
        assertTrue(Access.allowed(st(FileType.REGULAR, 0, 5, 5), root, Access.R_OK | Access.W_OK));
        assertFalse(Access.allowed(st(FileType.REGULAR, 0644, 5, 5), root, Access.X_OK));
        assertTrue(Access.allowed(st(FileType.REGULAR, 0001, 5, 5), root, Access.X_OK));
        assertTrue(Access.allowed(st(FileType.DIRECTORY, 0, 5, 5), root, Access.X_OK));
    }

    @Test
    void existenceCheckAlwaysPasses() {
        assertTrue(Access.allowed(st(FileType.REGULAR, 0, 5, 5), who(9, 9), Access.F_OK));
    }
}
