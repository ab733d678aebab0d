"""Reference array files for Tenfold's .npz / .safetensors readers, written by NumPy (the
anchor) and, for safetensors, by a tiny independent writer (struct + json; the
`safetensors` Python package was not installed when these were made).

Run from the repository root:  python3 packages/core/test/io/fixtures-gen/make_fixtures.py
Writes packages/core/test/io/fixtures/{savez.npz, savez_compressed.npz, reference.safetensors,
expected.json}. expected.json holds every array as float64 values computed by NumPy.
"""
import json
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures')
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261206)

arrays = {
    'f4': rng.standard_normal((2, 3)).astype('<f4'),
    'f8': rng.standard_normal((3,)).astype('<f8'),
    'i4': np.array([[1, -2], [3, -2147483648]], dtype='<i4'),
    'i8': np.array([0, -5, 7, 2**40], dtype='<i8'),
    'u1': np.array([0, 1, 127, 128, 255], dtype='u1'),
    'bool': np.array([True, False, True], dtype='?'),
    'f2': np.array([[0.5, -1.25], [65504.0, 2.0**-24]], dtype='<f2'),
    'fortran': np.asfortranarray(rng.standard_normal((3, 2, 2))).astype('<f8', order='F'),
    'scalar': np.array(3.5, dtype='<f4'),
    'empty': np.zeros((0, 3), dtype='<f4'),
}
assert arrays['fortran'].flags['F_CONTIGUOUS'] and not arrays['fortran'].flags['C_CONTIGUOUS']

np.savez(os.path.join(OUT, 'savez.npz'), **arrays)
np.savez_compressed(os.path.join(OUT, 'savez_compressed.npz'), **arrays)


def expected(a):
    return {'shape': list(a.shape), 'values': np.asarray(a, dtype=np.float64).ravel(order='C').tolist()}


exp = {'npz': {k: expected(v) for k, v in arrays.items()}}

# safetensors: header {name: {dtype, shape, data_offsets}}, u64 LE length, raw LE buffers.
f32 = rng.standard_normal((2, 2)).astype('<f4')
bf16_bits = (f32.view('<u4') >> 16).astype('<u2')  # truncate float32 to bfloat16
bf16_values = (bf16_bits.astype('<u4') << 16).view('<f4')
st = [
    ('F32', 'w_f32', rng.standard_normal((2, 3)).astype('<f4')),
    ('F16', 'w_f16', np.array([1.5, -0.099975586, 6.1035156e-05], dtype='<f2')),
    ('BF16', 'w_bf16', bf16_bits),
    ('F64', 'w_f64', rng.standard_normal((3,)).astype('<f8')),
    ('I64', 'w_i64', np.array([[-1, 2], [3, 2**35]], dtype='<i8')),
    ('I32', 'w_i32', np.array([7, -8, 9], dtype='<i4')),
    ('I16', 'w_i16', np.array([-32768, 32767], dtype='<i2')),
    ('I8', 'w_i8', np.array([-128, 5], dtype='i1')),
    ('U8', 'w_u8', np.array([0, 200, 255], dtype='u1')),
    ('BOOL', 'w_bool', np.array([False, True], dtype='?')),
]
header = {'__metadata__': {'format': 'pt', 'made_by': 'make_fixtures.py'}}
blobs = []
offset = 0
for dtype, name, a in st:
    raw = a.tobytes(order='C')
    shape = list(a.shape)
    header[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [offset, offset + len(raw)]}
    blobs.append(raw)
    offset += len(raw)
text = json.dumps(header).encode('utf-8')
text += b' ' * (-len(text) % 8)
with open(os.path.join(OUT, 'reference.safetensors'), 'wb') as f:
    f.write(struct.pack('<Q', len(text)))
    f.write(text)
    for b in blobs:
        f.write(b)

exp['safetensors'] = {name: expected(bf16_values.reshape(a.shape) if dtype == 'BF16' else a) for dtype, name, a in st}
exp['safetensors_dtypes'] = {name: dtype for dtype, name, _ in st}
with open(os.path.join(OUT, 'expected.json'), 'w') as f:
    json.dump(exp, f, indent=1)
    f.write('\n')
print('wrote', sorted(os.listdir(OUT)))
