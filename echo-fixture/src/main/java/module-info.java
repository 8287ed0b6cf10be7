/**
 * echo-fixture: an embeddable, non-blocking echo server (TCP, UDP, Unix-domain sockets) with
 * switchable network conditions and traffic recording, and an asynchronous echo client.
 *
 * <p>Start with {@link dev.echofixture.EmbeddedEchoServer}.
 */
module dev.echofixture {
    requires org.slf4j;

    exports dev.echofixture;
}
