package dev.echofixture.junit;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * Resolves parameters of test methods, lifecycle methods and constructors:
 * {@code @EchoServer EmbeddedEchoServer} gets its own server (one per declaration and test),
 * an unannotated {@code EmbeddedEchoServer} the test's {@linkplain DefaultServer default server},
 * and {@code EchoClient} a client connected to the default server. The n-th {@code EchoClient}
 * parameter of {@code @BeforeEach}, the test and {@code @AfterEach} is the same client.
 * Stateless; called on the test's thread.
 */
final class ParameterInjector {

    private ParameterInjector() {
    }

    static boolean supports(ParameterContext parameterContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == EmbeddedEchoServer.class || type == EchoClient.class
                || Declarations.onParameter(parameterContext.getParameter()).isPresent();
    }

    static Object resolve(ParameterContext parameterContext, ExtensionContext context) {
        Parameter parameter = parameterContext.getParameter();
        Class<?> type = parameter.getType();
        boolean annotated = Declarations.onParameter(parameter).isPresent();
        if (type == EmbeddedEchoServer.class) {
            return annotated
                    ? annotatedServer(parameter, context).server()
                    : DefaultServer.resolve(context, parameter).server();
        }
        if (type == EchoClient.class && !annotated) {
            return client(parameter, context).client();
        }
        if (type == EchoClient.class) {
            throw new ParameterResolutionException("@EchoServer does not apply to " + Declarations.describe(parameter)
                    + ": an EchoClient parameter is always connected to the test's default server; remove @EchoServer from it,"
                    + " or declare @EchoServer EmbeddedEchoServer server and call server.newClient()");
        }
        throw new ParameterResolutionException("Can only inject @EchoServer parameters of type EmbeddedEchoServer but "
                + Declarations.describe(parameter) + " is " + type.getName()
                + "; change its type to EmbeddedEchoServer, or use an unannotated EchoClient parameter for a client");
    }

    /** The server of an annotated parameter in this context, started on first use. */
    static ServerResource annotatedServer(Parameter parameter, ExtensionContext context) {
        Resources.Key key = new Resources.Key("parameter", parameter, context.getUniqueId());
        ServerResource server = context.getStore(Resources.NAMESPACE).get(key, ServerResource.class);
        if (server == null) {
            Declaration declaration = Declarations.onParameter(parameter).orElseThrow();
            server = Resources.of(context).add(ServerResource.start(declaration, context));
            context.getStore(Resources.NAMESPACE).put(key, server);
        }
        return server;
    }

    private static ClientResource client(Parameter parameter, ExtensionContext context) {
        Parameter[] all = parameter.getDeclaringExecutable().getParameters();
        long index = Arrays.stream(all).limit(Arrays.asList(all).indexOf(parameter))
                .filter(p -> p.getType() == EchoClient.class).count();
        Resources.Key key = new Resources.Key("client", index, context.getUniqueId());
        ClientResource client = context.getStore(Resources.NAMESPACE).get(key, ClientResource.class);
        if (client == null) {
            ServerResource server = DefaultServer.resolve(context, parameter);
            client = Resources.of(context).add(ClientResource.connect(server));
            context.getStore(Resources.NAMESPACE).put(key, client);
        }
        return client;
    }
}
