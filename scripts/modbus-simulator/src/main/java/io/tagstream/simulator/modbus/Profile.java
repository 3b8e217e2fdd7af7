package io.tagstream.simulator.modbus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.tagstream.addressmap.DataType;
import io.tagstream.addressmap.RegisterAddress;
import io.tagstream.addressmap.WordOrder;

/**
 * What the simulated device holds: one signal per line,
 * {@code address,type,word_order,shape,min,max,period_s}, with {@code #} comments. Addresses as in the
 * address map (40001, 40001.3, hr:0, coil:5); shapes: {@code sine}, {@code ramp} (sawtooth),
 * {@code square}, {@code walk} (bounded random walk), {@code constant} (min). Values are raw device
 * values; the address map's scale and offset turn them into engineering units.
 */
record Profile(List<Signal> signals) {

    enum Shape { SINE, RAMP, SQUARE, WALK, CONSTANT }

    record Signal(int line, RegisterAddress address, DataType type, WordOrder order, Shape shape, double min, double max,
            double periodS) {

        /** The signal's value at {@code seconds} since start; {@code walkState} carries the random walk. */
        double valueAt(double seconds, double[] walkState, java.util.Random random) {
            double phase = periodS <= 0 ? 0 : (seconds % periodS) / periodS;
            double span = max - min;
            return switch (shape) {
                case SINE -> min + span * (0.5 + 0.5 * Math.sin(2 * Math.PI * phase));
                case RAMP -> min + span * phase;
                case SQUARE -> phase < 0.5 ? min : max;
                case CONSTANT -> min;
                case WALK -> {
                    double next = walkState[0] + (random.nextDouble() - 0.5) * span * 0.05;
                    walkState[0] = Math.max(min, Math.min(max, next));
                    yield walkState[0];
                }
            };
        }
    }

    static Profile read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static Profile parse(String text) {
        List<Signal> signals = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s*,\\s*");
            if (f.length != 7) {
                throw new IllegalArgumentException("profile line " + (i + 1) + ": expected address,type,word_order,shape,min,max,period_s");
            }
            try {
                signals.add(new Signal(i + 1, RegisterAddress.parse(f[0]), DataType.valueOf(f[1].toUpperCase(Locale.ROOT)),
                        f[2].isEmpty() ? WordOrder.ABCD : WordOrder.valueOf(f[2].toUpperCase(Locale.ROOT)),
                        Shape.valueOf(f[3].toUpperCase(Locale.ROOT)), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("profile line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("the profile has no signals");
        }
        return new Profile(List.copyOf(signals));
    }
}
