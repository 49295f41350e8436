package dev.grainfs.dist;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;

/**
 * `--config FILE`: key=value lines whose keys are the command's long flag names without dashes
 * (meta-dir=/var/lib/grainfs/meta). They become defaults, so a flag on the command line wins.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    private final Properties props;
    private final Path file;

    ConfigFile(Path file) throws IOException {
        this.file = file;
        this.props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        }
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (!(arg instanceof CommandLine.Model.OptionSpec o)) {
            return null;
        }
        String key = o.longestName().replaceFirst("^-+", "");
        String v = props.getProperty(key);
        return v == null ? null : v.trim();
    }

    /** Rejects keys that no flag of {@code spec} has (a typo would otherwise be ignored silently). */
    void check(CommandLine.Model.CommandSpec spec) {
        for (String key : props.stringPropertyNames()) {
            if (spec.findOption("--" + key) == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        file + ": unknown key '" + key + "' for grainfs " + spec.name());
            }
        }
    }

    /** Finds --config FILE (or --config=FILE) in args and installs it on the subcommand it belongs to. */
    static void install(CommandLine root, String[] args) throws IOException {
        CommandLine sub = null;
        for (int i = 0; i < args.length; i++) {
            if (sub == null && root.getSubcommands().containsKey(args[i])) {
                sub = root.getSubcommands().get(args[i]);
            }
            String file = null;
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                file = args[i].substring("--config=".length());
            }
            if (file != null && sub != null) {
                ConfigFile c = new ConfigFile(Path.of(file));
                c.check(sub.getCommandSpec());
                sub.setDefaultValueProvider(c);
            }
        }
    }
}
