package org.eventetl.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.eventetl.engine.Engine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * load and backfill run their steps on the engine as {@link Interruption#guard} wraps it. Each call
 * of {@link Engine} must reach the engine itself: a default method that the wrapper does not pass on
 * answers with the default's no-op for every engine. (It did so for the stop of a killed run's
 * Trino and Athena queries, and for Trino's listing of a table's partitions, in both commands.)
 */
final class TestGuardedEngine
{
    @Test
    void everyCallOfAnEngineReachesTheEngineItGuards()
            throws Exception
    {
        List<String> reached = new ArrayList<>();
        Engine engine = (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class}, (proxy, method, args) -> {
            reached.add(method.getName());
            return method.getReturnType() == Optional.class ? Optional.empty() : null;
        });
        List<Method> methods = new ArrayList<>();
        try (Interruption interruption = Interruption.install()) {
            Engine guarded = interruption.guard(engine);
            for (Method method : Engine.class.getMethods()) {
                if (Modifier.isStatic(method.getModifiers())) {
                    continue;
                }
                methods.add(method);
                reached.clear();
                method.invoke(guarded, arguments(method));
                assertThat(reached).as("%s of the guarded engine", method).containsExactly(method.getName());
            }
        }
        assertThat(methods).extracting(Method::getName).contains("execute", "stopStatementsOf", "listedPartitions", "close");
    }

    /** Any arguments will do: the engine behind is a proxy that only notes the call. */
    private static Object[] arguments(Method method)
    {
        Class<?>[] types = method.getParameterTypes();
        Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            if (types[i] == int.class) {
                arguments[i] = 0;
            }
            else if (types[i].isPrimitive()) {
                throw new IllegalStateException("no argument for " + types[i] + " of " + method);
            }
        }
        return arguments;
    }
}
