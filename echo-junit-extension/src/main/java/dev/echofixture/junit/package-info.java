/**
 * The JUnit Jupiter extension of echo-fixture: annotate a test, a field or a parameter with
 * {@link dev.echofixture.junit.EchoServer} to get a running echo server.
 */
package dev.echofixture.junit;
