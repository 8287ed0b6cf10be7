package dev.echofixture.junit;

import org.junit.jupiter.api.extension.Extension;

/**
 * The extension behind {@link EchoServer}. TODO(extension).
 */
class EchoServerExtension implements Extension {
}
