package dev.tuning.operator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A decorator that forgot an SPI method would quietly run the interface's default instead of the
 * wrapped provider's (the test wrapper did, for {@code rateScope}): every method of {@link
 * TuningProvider} is forwarded.
 */
class ForwardingProviderTest {

  @Test
  void shouldForwardEveryMethodOfTheSpi() throws NoSuchMethodException {
    List<Method> spi =
        Arrays.stream(TuningProvider.class.getMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .toList();
    for (Method m : spi) {
      Method own = ForwardingProvider.class.getMethod(m.getName(), m.getParameterTypes());
      assertThat(own.getDeclaringClass()).as(m.getName()).isEqualTo(ForwardingProvider.class);
    }
  }
}
