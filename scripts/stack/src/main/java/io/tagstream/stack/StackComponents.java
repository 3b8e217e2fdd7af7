package io.tagstream.stack;

import java.util.List;

/**
 * Every process of the local stack, in start order. This list is the one place a new app, connector
 * host or simulator is added; dependencies between entries are declared by the components themselves.
 */
public final class StackComponents {

    public static final List<Component> ALL = List.of(
            new KafkaBroker(),
            new PostgresServer(),
            new SchemaRegistry(),
            new WeatherApiSimulatorComponent(),
            new ModbusSimulatorComponent(),
            new ConnectWorker(),
            StreamsAppComponent.deadband(),
            StreamsAppComponent.imputation(),
            StreamsAppComponent.aggregation(),
            StreamsAppComponent.alerts());

    private StackComponents() {
    }
}
