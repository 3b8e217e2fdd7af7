package io.tagstream.connect.modbus;

/** JMX view of a Modbus source task (standard MBean interface of {@link ModbusTaskMetrics}). */
public interface ModbusTaskMetricsMBean {

    /** Read requests sent (each retry not counted separately). */
    long getRequests();

    /** Requests that failed: timeouts, lost connections, Modbus exception responses. */
    long getErrors();

    /** Reconnection attempts after a lost or refused connection. */
    long getReconnects();

    /** Devices of this task with an open connection now. */
    long getConnectedDevices();

    long getGoodReadings();

    long getBadReadings();

    /** GOOD tag reads per second over the last complete 5-second window. */
    double getTagReadsPerSecond();

    /** One poll = all requests due at one instant on one device. */
    double getPollLatencyAvgMs();

    double getPollLatencyMaxMs();

    double getPollLatencyLastMs();
}
