package org.eventetl.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer for ASCII text. The generator writes gigabytes, so it appends numbers
 * digit by digit instead of going through String.format or Double.toString.
 */
final class AsciiBuffer
{
    private byte[] bytes = new byte[1 << 16];
    private int length;

    AsciiBuffer append(String text)
    {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    AsciiBuffer append(char c)
    {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    AsciiBuffer append(long value)
    {
        if (value < 0) {
            append('-');
            value = -value;
        }
        ensure(20);
        int start = length;
        do {
            bytes[length++] = (byte) ('0' + value % 10);
            value /= 10;
        }
        while (value > 0);
        reverse(start, length - 1);
        return this;
    }

    /** Zero-padded to {@code width} digits: 7 with width 2 is "07". */
    AsciiBuffer appendPadded(long value, int width)
    {
        ensure(width);
        for (int i = width - 1; i >= 0; i--) {
            bytes[length + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
        return this;
    }

    /** A decimal with exactly {@code decimals} digits after the point, e.g. -0.18701. */
    AsciiBuffer appendFixed(double value, int decimals)
    {
        long scale = 1;
        for (int i = 0; i < decimals; i++) {
            scale *= 10;
        }
        long scaled = Math.round(Math.abs(value) * scale);
        if (value < 0 && scaled != 0) {
            append('-');
        }
        append(scaled / scale);
        append('.');
        return appendPadded(scaled % scale, decimals);
    }

    int length()
    {
        return length;
    }

    /** Cuts the buffer back to {@code newLength} bytes (used to keep a truncated line). */
    void truncate(int newLength)
    {
        length = newLength;
    }

    void clear()
    {
        length = 0;
    }

    void writeTo(OutputStream out)
            throws IOException
    {
        out.write(bytes, 0, length);
    }

    private void ensure(int extra)
    {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
        }
    }

    private void reverse(int from, int to)
    {
        while (from < to) {
            byte swap = bytes[from];
            bytes[from++] = bytes[to];
            bytes[to--] = swap;
        }
    }
}
