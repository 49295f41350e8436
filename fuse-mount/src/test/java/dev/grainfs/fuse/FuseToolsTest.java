package dev.grainfs.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ordinary tools against a real cluster mounted through the kernel: what people will do with it. */
@Tag("fuse")
class FuseToolsTest {
    @TempDir
    static Path tmp;
    static MountedCluster m;
    static Path local;

    @BeforeAll
    static void mount() throws Exception {
        m = MountedCluster.start(tmp.resolve("c"), "");
        local = tmp.resolve("local");
        Files.createDirectories(local);
        MountedCluster.openUp(local);
    }

    @AfterAll
    static void unmount() {
        if (m != null) {
            m.close();
        }
    }

    private static String script(String name) throws Exception {
        Path p = tmp.resolve(name);
        if (!Files.exists(p)) {
            try (var in = Objects.requireNonNull(FuseToolsTest.class.getResourceAsStream("/fuse/" + name))) {
                Files.write(p, in.readAllBytes());
            }
        }
        return p.toString();
    }

    @Test
    void cpAndTarATreeOfThousandsOfFilesAndCompare() throws Exception {
        String src = local.resolve("tree").toString();
        m.sh(MountedCluster.PYTHON + " " + script("make_tree.py") + " " + src + " 3000").ok();
        // what a copy must keep: type, mode, size, mtime (to the second), symlink target; and the bytes
        String listing = "cd %1$s && (find . -type d -printf '%%y %%m %%TY%%Tm%%Td%%TH%%TM%%TS %%p\\n';"
                + " find . ! -type d -printf '%%y %%m %%s %%TY%%Tm%%Td%%TH%%TM%%TS %%l %%p\\n') | sed 's/\\.[0-9]* / /' | sort";
        String sums = "cd %s && find . -type f -print0 | sort -z | xargs -0 sha256sum";
        String want = m.sh(listing.formatted(src)).ok().out();
        String wantSums = m.sh(sums.formatted(src)).ok().out();

        m.sh("cp -a " + src + " cp-tree").ok();
        m.sh("diff -r --no-dereference " + src + " cp-tree").ok();
        assertEquals(want, m.sh(listing.formatted("cp-tree")).ok().out());
        assertEquals(wantSums, m.sh(sums.formatted("cp-tree")).ok().out());

        m.sh("mkdir tar-tree && tar -C " + src + " -cf - . | tar -C tar-tree -xpf -").ok();
        m.sh("diff -r --no-dereference " + src + " tar-tree").ok();
        assertEquals(want, m.sh(listing.formatted("tar-tree")).ok().out());

        // and back out of the mount
        String back = local.resolve("back").toString();
        m.sh("mkdir " + back + " && tar -C cp-tree -cf - . | tar -C " + back + " -xpf -").ok();
        assertEquals(wantSums, m.sh(sums.formatted(back)).ok().out());
        assertEquals(want, m.sh(listing.formatted(back)).ok().out());
    }

    @Test
    void ddA256MiBFileInAndOut() throws Exception {
        String big = local.resolve("big").toString();
        m.sh("dd if=/dev/urandom of=" + big + " bs=1M count=256 status=none").ok();
        m.sh("dd if=" + big + " of=big bs=1M conv=fsync status=none").ok();
        m.sh("dd if=big of=" + big + ".back bs=1M status=none").ok();
        m.sh("cmp " + big + " " + big + ".back").ok();
        assertEquals(m.sh("sha256sum < " + big).ok().out(), m.sh("sha256sum < big").ok().out());
        assertEquals("268435456\n", m.sh("stat -c %s big").ok().out());
        // another client sees every byte once close returned (close-to-open)
        assertEquals(256L << 20, m.client.stat("/big").size());
    }

    @Test
    void mvAndRmRecursiveTrees() throws Exception {
        m.sh("mkdir -p mv/a/b/c && for i in $(seq 50); do echo $i > mv/a/b/c/$i; echo $i > mv/a/$i; done").ok();
        m.sh("mv mv/a mv/z && test ! -e mv/a && test $(cat mv/z/b/c/7) = 7").ok();
        m.sh("mkdir mv/other && mv mv/z/b mv/other/ && test -d mv/other/b/c && test ! -e mv/z/b").ok();
        m.sh("echo new > mv/n && mv mv/n mv/z/1 && test $(cat mv/z/1) = new").ok(); // replaces a file
        m.sh("mkdir mv/empty && mv mv/other/b mv/empty2 && mv mv/empty2 mv/empty").ok(); // replaces an empty dir
        m.sh("rm -r mv && test ! -e mv").ok();
        assertTrue(m.sh("ls").ok().out().lines().noneMatch("mv"::equals));
    }

    @Test
    void overwriteTheMiddleAndWritePastTheEnd() throws Exception {
        String ref = local.resolve("mid").toString();
        m.sh("head -c 3000000 /dev/urandom > " + ref + " && cp " + ref + " mid").ok();
        String patch = "head -c 70000 /dev/zero | tr '\\0' 'x' | dd of=%s bs=1 seek=1234567 conv=notrunc status=none";
        m.sh(patch.formatted(ref) + " && " + patch.formatted("mid")).ok();
        m.sh("cmp " + ref + " mid").ok();
        // a write far past the end leaves a hole that reads as zeros
        String hole = "echo tail | dd of=%s bs=1 seek=9000000 conv=notrunc status=none";
        m.sh(hole.formatted(ref) + " && " + hole.formatted("mid")).ok();
        m.sh("cmp " + ref + " mid").ok();
        assertEquals("9000005\n", m.sh("stat -c %s mid").ok().out());
    }

    @Test
    void truncateShrinksAndGrows() throws Exception {
        String ref = local.resolve("tr").toString();
        m.sh("head -c 5000000 /dev/urandom > " + ref + " && cp " + ref + " tr").ok();
        for (String size : new String[] {"3000001", "70000000", "65536", "0", "12345"}) {
            m.sh("truncate -s " + size + " " + ref + " && truncate -s " + size + " tr && cmp " + ref + " tr").ok();
        }
        m.sh("echo more >> tr && echo more >> " + ref + " && cmp " + ref + " tr").ok();
    }

    @Test
    void symlinks() throws Exception {
        m.sh("mkdir -p sl/d && echo data > sl/d/f && ln -s d/f sl/rel && ln -s /nonexistent sl/dangling"
                + " && ln -s d sl/dirlink").ok();
        assertEquals("d/f\n", m.sh("readlink sl/rel").ok().out());
        assertEquals("data\n", m.sh("cat sl/rel").ok().out());
        assertEquals("data\n", m.sh("cat sl/dirlink/f").ok().out());
        assertNotEquals(0, m.sh("cat sl/dangling").code());
        m.sh("test -L sl/dangling && test -L sl/rel && test -f sl/rel").ok();
        assertEquals("l 777\n", m.sh("stat -c '%A %a' sl/rel | cut -c1,11-").ok().out().replace("lrwxrwxrwx", "l"));
        m.sh("rm sl/rel && test -f sl/d/f").ok(); // removing a link keeps its target
    }

    @Test
    void chmodChownThenAccessAsNobody() throws Exception {
        m.sh("mkdir -p perm && chmod 755 perm && echo secret > perm/f && chmod 600 perm/f").ok();
        assertTrue(m.asNobody("cat perm/f").out().contains("Permission denied"));
        m.sh("chmod 644 perm/f").ok();
        assertEquals("secret\n", m.asNobody("cat perm/f").ok().out());
        assertTrue(m.asNobody("echo x >> perm/f").out().contains("Permission denied"));
        m.sh("chown nobody:nogroup perm/f").ok();
        m.asNobody("echo more >> perm/f").ok();
        assertEquals("nobody nogroup\n", m.sh("stat -c '%U %G' perm/f").ok().out());
        assertTrue(m.asNobody("touch perm/new").out().contains("Permission denied"));
        assertTrue(m.asNobody("chmod 777 perm").out().contains("Operation not permitted"));
        m.sh("chmod 700 perm").ok();
        assertTrue(m.asNobody("ls perm").out().contains("Permission denied"));
        // a shared sticky directory: nobody creates read-only files (as git does) and writes them
        m.sh("mkdir -m 1777 shared").ok();
        m.asNobody("umask 022; " + MountedCluster.PYTHON + " -c \"import os; fd=os.open('shared/ro', os.O_CREAT|os.O_WRONLY, 0o444);"
                + " os.write(fd, b'hello'); os.close(fd)\"").ok();
        assertEquals("hello 444 nobody\n", m.sh("echo $(cat shared/ro) $(stat -c '%a %U' shared/ro)").ok().out());
        assertTrue(m.asNobody("rm -f shared/../perm/f").out().contains("Permission denied"));
        m.sh("touch shared/roots && chmod 666 shared/roots").ok();
        assertTrue(m.asNobody("rm -f shared/roots").out().contains("Operation not permitted"), "sticky bit");
    }

    @Test
    void gitInitCommitAndLog() throws Exception {
        String git = "git -c user.email=t@example.com -c user.name=t -c init.defaultBranch=main ";
        m.sh("mkdir repo && cd repo && " + git + "init -q && seq 1000 > a && mkdir sub && echo x > sub/b && "
                + git + "add -A && " + git + "commit -qm first && echo y >> sub/b && git mv a c && "
                + git + "commit -qam second").ok();
        assertEquals("second\nfirst\n", m.sh("cd repo && git log --format=%s").ok().out());
        assertEquals("", m.sh("cd repo && git status --porcelain").ok().out());
        m.sh("cd repo && git fsck --strict 2>&1 && git gc -q").ok();
        assertEquals("x\ny\n", m.sh("cd repo && git show HEAD:sub/b").ok().out());
    }

    @Test
    void sqliteDatabaseCreatedAndQueried() throws Exception {
        String py = """
                import sqlite3
                db = sqlite3.connect('db/test.sqlite')
                db.execute('create table t (id integer primary key, name text, v real)')
                with db:
                    db.executemany('insert into t (name, v) values (?, ?)', [(f'n{i}', i * 0.5) for i in range(5000)])
                db.execute('create index tn on t(name)')
                db.commit()
                db.close()
                db = sqlite3.connect('db/test.sqlite')
                print(db.execute('select count(*), sum(v) from t').fetchone())
                print(db.execute("select id from t where name = 'n4321'").fetchone())
                with db:
                    db.execute('delete from t where id % 2 = 0')
                print(db.execute('select count(*) from t').fetchone())
                print(db.execute('pragma integrity_check').fetchone())
                """;
        Files.writeString(tmp.resolve("db.py"), py);
        String out = m.sh("mkdir -p db && " + MountedCluster.PYTHON + " " + tmp.resolve("db.py")).ok().out();
        assertEquals("(5000, 6248750.0)\n(4322,)\n(2500,)\n('ok',)\n", out);
    }

    @Test
    void timesChangeWhenPosixSaysTheyDo() throws Exception {
        m.sh("mkdir tm && echo a > tm/f && touch -d '2020-01-02 03:04:05' tm/f").ok();
        assertEquals("1577934245\n", m.sh("stat -c %Y tm/f").ok().out());
        String before = m.sh("stat -c '%.9Y %.9Z' tm/f").ok().out();
        Thread.sleep(20);
        m.sh("chmod 600 tm/f").ok();
        String[] afterChmod = m.sh("stat -c '%.9Y %.9Z' tm/f").ok().out().trim().split(" ");
        assertEquals(before.split(" ")[0], afterChmod[0], "chmod leaves mtime");
        assertTrue(afterChmod[1].compareTo(before.trim().split(" ")[1]) > 0, "chmod moves ctime");
        m.sh("echo more >> tm/f").ok();
        String[] afterWrite = m.sh("stat -c '%Y %Z' tm/f").ok().out().trim().split(" ");
        assertTrue(Long.parseLong(afterWrite[0]) > 1577934245L, "a write moves mtime");
        assertEquals(afterWrite[0], afterWrite[1], "and ctime with it");
        // cp -p sets times before it closes: the close must not overwrite them
        m.sh("cp -p tm/f tm/g && touch -d '2019-05-06 07:08:09' tm/f && cp -p tm/f tm/h").ok();
        assertEquals("1557126489\n", m.sh("stat -c %Y tm/h").ok().out());
        String dirBefore = m.sh("stat -c %.9Y tm").ok().out();
        Thread.sleep(20);
        m.sh("touch tm/new").ok();
        assertNotEquals(dirBefore, m.sh("stat -c %.9Y tm").ok().out(), "creating a name moves the directory's mtime");
    }

    @Test
    void dfShowsClusterCapacityAndSyncWorks() throws Exception {
        long cap = m.client.statfs().capacity();
        String[] df = m.sh("df -B1 --output=size,avail . | tail -1").ok().out().trim().split("\\s+");
        assertEquals(cap / Stats.FS_BLOCK * Stats.FS_BLOCK, Long.parseLong(df[0]));
        assertTrue(Long.parseLong(df[1]) > 0);
        m.sh("echo x > synced && sync && sync synced").ok();
    }

    @Test
    void readOnlyMountRefusesChanges() throws Exception {
        Path roDir = tmp.resolve("ro");
        try (FuseMount ro = FuseMount.mount(m.client, roDir, MountOptions.parse("ro"))) {
            m.sh("echo visible > ro-check").ok();
            assertEquals("visible\n", m.sh("cat " + roDir + "/ro-check").ok().out());
            assertTrue(m.sh("touch " + roDir + "/x").out().contains("Read-only file system"));
            assertTrue(m.sh("rm " + roDir + "/ro-check").out().contains("Read-only file system"));
        }
        assertArrayEquals(new String[0], roDir.toFile().list(), "unmounted again");
    }

    @Test
    void fusermountUnmountsAndAwaitUnmountReturns() throws Exception {
        Path dir = tmp.resolve("ext");
        FuseMount other = FuseMount.mount(m.client, dir, MountOptions.parse(""));
        assertTrue(other.isMounted());
        Thread waiter = new Thread(() -> {
            try {
                other.awaitUnmount();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        m.sh("fusermount -u " + dir).ok();
        waiter.join(15_000);
        assertTrue(!waiter.isAlive() && !other.isMounted(), "awaitUnmount returned after fusermount -u");
        other.close();
    }

    @Test
    void hardLinksAndSpecialFilesAreRefused() throws Exception {
        m.sh("echo a > hl").ok();
        assertTrue(m.sh("ln hl hl2").out().contains("Operation not permitted"));
        assertTrue(m.sh("mkfifo fifo").out().contains("Operation not permitted"));
        assertTrue(m.sh("setfattr -n user.x -v 1 hl 2>&1 || " + MountedCluster.PYTHON
                + " -c \"import os; os.setxattr('hl', 'user.x', b'1')\"").out().contains("not supported"));
    }
}
