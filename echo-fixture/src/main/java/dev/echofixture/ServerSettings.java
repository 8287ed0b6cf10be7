package dev.echofixture;

import dev.echofixture.internal.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Settings of an {@link EmbeddedEchoServer.Builder} as a value: an ordered list of builder
 * calls, each named by its setting (the builder method's name, as in {@link SettingException}).
 * A setting that is not in the list is not set, so the builder's default applies; this is what
 * lets a surface over the builder layer its sources: the settings a user wrote win over
 * defaults of the run, which win over the builder's own defaults ({@link #orElse(ServerSettings)}).
 *
 * <p>Every surface makes one: the JUnit extension from an {@code @EchoServer} annotation, its
 * configuration parameters and its {@code @RegisterExtension} builder; the standalone endpoint
 * from its options. Immutable; any thread.
 *
 * <pre>{@code
 * ServerSettings settings = ServerSettings.none()
 *         .with("transport", Transport.UDP, b -> b.transport(Transport.UDP))
 *         .with("seed", 42L, b -> b.seed(42));
 * EmbeddedEchoServer server = settings.applyTo(EmbeddedEchoServer.builder()).start();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ServerSettings {

    private static final ServerSettings NONE = new ServerSettings(List.of());

    /** One builder call. */
    private record Step(String setting, Object value, Consumer<EmbeddedEchoServer.Builder> call) {
    }

    private final List<Step> steps;

    private ServerSettings(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * No setting: every builder default applies.
     *
     * @return the empty settings
     */
    public static ServerSettings none() {
        return NONE;
    }

    /**
     * These settings with one more. The call is tried at once on a fresh builder, so a bad value
     * fails where it is set, with the builder's own {@link SettingException}. A setting already
     * in the list is replaced, and the new call goes last, as a second call on a builder would.
     *
     * @param setting the setting's name, the builder method's, for example {@code host}
     * @param value   the value, for {@link #value(String)} and {@link #toString()}
     * @param call    the builder call, for example {@code b -> b.host("::1")}
     * @return new settings
     * @throws SettingException if the builder rejects the value
     */
    public ServerSettings with(String setting, Object value, Consumer<EmbeddedEchoServer.Builder> call) {
        Checks.notNull(setting, "setting");
        Checks.notNull(call, "call");
        call.accept(EmbeddedEchoServer.builder());
        List<Step> next = new ArrayList<>(steps.size() + 1);
        for (Step step : steps) {
            if (!step.setting().equals(setting)) {
                next.add(step);
            }
        }
        next.add(new Step(setting, value, call));
        return new ServerSettings(List.copyOf(next));
    }

    /**
     * These settings over defaults: the defaults' settings that are not set here come first,
     * then these, so that these win.
     *
     * @param defaults the lower-precedence settings, for example those of a run's configuration
     * @return new settings
     */
    public ServerSettings orElse(ServerSettings defaults) {
        List<Step> merged = new ArrayList<>(defaults.steps.size() + steps.size());
        for (Step step : defaults.steps) {
            if (!isSet(step.setting())) {
                merged.add(step);
            }
        }
        merged.addAll(steps);
        return new ServerSettings(List.copyOf(merged));
    }

    /**
     * Whether a setting is set.
     *
     * @param setting the setting's name
     * @return {@code true} if it is in the list
     */
    public boolean isSet(String setting) {
        return steps.stream().anyMatch(s -> s.setting().equals(setting));
    }

    /**
     * The value of a setting, as given to {@link #with(String, Object, Consumer)}.
     *
     * @param setting the setting's name
     * @return the value, empty if the setting is not set (or was given a {@code null} value)
     */
    public Optional<Object> value(String setting) {
        return steps.stream().filter(s -> s.setting().equals(setting)).findFirst().map(Step::value);
    }

    /**
     * The transport these settings ask for: the last of {@code transport} and {@code tls} (which
     * means {@link Transport#TLS}), else the builder's default, {@link Transport#TCP}.
     *
     * @return the transport
     */
    public Transport transport() {
        Transport transport = Transport.TCP;
        for (Step step : steps) {
            if (step.setting().equals("transport") && step.value() instanceof Transport t) {
                transport = t;
            } else if (step.setting().equals("tls")) {
                transport = Transport.TLS;
            }
        }
        return transport;
    }

    /**
     * The names of the settings that are set, in the order their calls are made.
     *
     * @return the names
     */
    public List<String> settings() {
        return steps.stream().map(Step::setting).collect(Collectors.toUnmodifiableList());
    }

    /**
     * Makes every call on the builder, in order.
     *
     * @param builder the builder
     * @return the same builder
     * @throws SettingException if the builder rejects a value
     */
    public EmbeddedEchoServer.Builder applyTo(EmbeddedEchoServer.Builder builder) {
        Checks.notNull(builder, "builder");
        for (Step step : steps) {
            step.call().accept(builder);
        }
        return builder;
    }

    /**
     * For example {@code ServerSettings[transport=UDP, seed=42]}.
     *
     * @return the settings in order, with their values
     */
    @Override
    public String toString() {
        return steps.stream().map(s -> s.setting() + "=" + s.value()).collect(Collectors.joining(", ", "ServerSettings[", "]"));
    }
}
