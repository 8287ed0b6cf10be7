package dev.echofixture;

/**
 * A bad setting: the {@link IllegalArgumentException} every setter, {@link EchoBehavior} method
 * and {@link EmbeddedEchoServer.Builder#start()} throws for a value it rejects. It carries the
 * setting's name as data ({@link #setting()}, the name of the builder or behaviour method, such
 * as {@code chunkSize}), so that a surface over the builder (the JUnit extension, the standalone
 * endpoint) can say the setting in its own terms (an annotation attribute, an option) without
 * reading the message. The message has the form {@code setting: detail}, for example
 * {@code chunkSize: 4 (expected: no chunkSize with transport UDP, ...)}.
 *
 * @since 0.1.0
 */
public final class SettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The setting's name, the builder or behaviour method's. */
    private final String setting;
    /** The value and what was expected. */
    private final String detail;

    /**
     * A bad value of a setting.
     *
     * @param setting the setting's name, for example {@code port}
     * @param detail  the value and what was expected, for example {@code 70000 (expected: 0 to 65535)}
     */
    public SettingException(String setting, String detail) {
        super(setting + ": " + detail);
        this.setting = setting;
        this.detail = detail;
    }

    /**
     * A bad value of a setting, with the exception that revealed it.
     *
     * @param setting the setting's name, for example {@code host}
     * @param detail  the value and what was expected
     * @param cause   the underlying exception
     */
    public SettingException(String setting, String detail, Throwable cause) {
        this(setting, detail);
        initCause(cause);
    }

    /**
     * The setting's name: the name of the method that sets it on {@link EmbeddedEchoServer.Builder}
     * or {@link EchoBehavior}, for example {@code port}, {@code host}, {@code chunkSize}.
     *
     * @return the name
     */
    public String setting() {
        return setting;
    }

    /**
     * The message without the setting's name: the value and what was expected.
     *
     * @return for example {@code 70000 (expected: 0 to 65535, 0 for an ephemeral port)}
     */
    public String detail() {
        return detail;
    }
}
