"""A Modbus TCP server from pymodbus (Debian python3-pymodbus 3.0), the independent peer of the
integration test. Run with /usr/bin/python3: modbus_server.py PORT

Unit 1, zero-based addresses (zero_mode=True: protocol address N is list index N). The values are fixed
so the test can compare every decoded Reading exactly:
  holding  0-1   FLOAT32 ABCD  12.5
  holding  2     INT16         -100
  holding  3-4   UINT32 CDAB   3000000000
  holding  5-8   INT64 ABCD    -1234567890123
  holding  9-12  FLOAT64 DCBA  -0.125
  holding  13    bits 0 and 5 set (0x0021)
  holding  14-15 FLOAT32 BADC  NaN
  input    0     UINT16        65000
  coils    0..2  1, 0, 1
  discrete 0..1  0, 1
"""
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer


def words(fmt, value):
    raw = struct.pack(">" + fmt, value)
    return [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]


def swap_bytes(ws):
    return [((w & 0xFF) << 8) | (w >> 8) for w in ws]


holding = (
    words("f", 12.5)
    + words("h", -100)
    + list(reversed(words("I", 3000000000)))
    + words("q", -1234567890123)
    + swap_bytes(list(reversed(words("d", -0.125))))
    + [0x0021]
    + swap_bytes(words("f", float("nan")))
)
holding += [0] * (20 - len(holding))

store = ModbusSlaveContext(
    hr=ModbusSequentialDataBlock(0, holding),
    ir=ModbusSequentialDataBlock(0, [65000] + [0] * 9),
    co=ModbusSequentialDataBlock(0, [1, 0, 1] + [0] * 7),
    di=ModbusSequentialDataBlock(0, [0, 1] + [0] * 8),
    zero_mode=True,
)
context = ModbusServerContext(slaves={1: store}, single=False)
print("serving on 127.0.0.1:%s" % sys.argv[1], flush=True)
StartTcpServer(context=context, address=("127.0.0.1", int(sys.argv[1])))
