// HyperLogLog: values written by a real redis-server 7.0.15 are read exactly (sparse and dense), corruption handling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { useServerConn } from '../helpers/server.js';
import { murmurHash64A } from '../../src/commands/hyperloglog.js';

/** GET sp / GET dn from redis-server after PFADD sp a..j and PFADD dn d0..d2999; with its PFCOUNT answers. */
const ORACLE = {"sparse":"48594c4c010000000000000000000080466d8049e8804c2280443c843880423d804b838042ed84498c80426d80425a","dense":"eJx1WjuSJLkNBZnsnjTSYEeU0UYbVMQaMks3YE3vRshYo1x5c4TVDbJ6QiFXR9ARdIQcraRzaYg/WDWM3Z6sTH4AEJ8HkH/+y6+/grV9/KmQAQ4o3592WDNUAEhX6VKLPK1dx+GQ0Q3fA0B3k9qPCu8AC9AMPE+ih6a9ix97yMvP2CfhJPQ/XPlf14pMW3ZYx9dKLI1GFMIX7bzC9KkqpfYJaRvTJp66vE+jsC1wmgeePS/bGJ3h2aTE7F9A5Qk7lDz+rn7yY0w+t1TXA/v7lzyk01SDgASQzir/lcSVPZFN5M9UyfyDYJwQpY2fTiBSyrApSQtTvg0er0X7yEMhURw69RX29CY/ilu0dqH0HeZdy2ftVpB9ZZSeN/AqVAs0yBVuplRRISe16SwKqERP6XCC893AKnJLJKstRR0gXi46eVufwDZ66qaqIgLE9o8x4c+4s0fDroGMMdU32KCOUboFe7I+vTIvvY/R3dF/wJuzMshdaDOLHkMuTkrdCWqvK9SNn0WX9vPov5D0TP4iT6W8MtcJ7T3p+7al7uTTBvudpNpEVjJPoqkrGdErviN6iq5q6lQBzquzaPq+ojxP32TUDvDfBkXY7OD3a5V1y1ioVdLGnkgCJ7JWIQApkc16Mh0rKpnM2nIio/5bcDiwS59DlMHpSXBHB+/QGy36LKSOUbJB2sghX5g7m+dQmURTFbsruigSxn7MeTPtFh4OIaaf4d/sOcUucNSIIzghvdX9PSr0v0KHssi63rLgDKHhEO8Vs74/3wcFbbMlmojqXR/ZvlzRmgBuuGJq5ppshjP+RyJ6YSntYdeK20QTGg15ovWaIy94q6EAC7A5B7FYB1tIdFhmS7A0clblQPPxTddJbnOTE9Qh3TpH0s1p5puFpzZTrVIi5FDcm0sM9xMzSUik/nvaskyeyYSHkrhWNZKuOvAX36GtCYOLCxOrss+84JpPAL/zm1NSjwFwSdano+UWgCOZKHflxIn389CWglsmHCWUVXVL3j1qu/HLQfOnDow66koQIkKCckvkAVAyabCs3w7h8ZCd22W7d106WWe3j2V8TUVA1KtsW4HrMFUIhsmgJUUggepa0nDs5fZC8xRdYrcZikE1h9lUo246KYb7vg8gQe8yscCu71WXToJt+h3S6+4ZTP5bd5FU8NLmUKgAOYa4ZQ7fEukS42eT87MTi+zdto/nuqDidTGEjpTzpgTFkA6VOfrAr59hbh3qQVJttmhy2ID8s+EZ8CpID+Wr6bxZaEZp32Oe74HsaBo9ycrKFLZQb08g6hdcOkaEg8Cqtn32DBeY2+7+hlg/5i/Eirp3ZL8oWBoUshcqBtRr8e6dNSf57MZRLrbDXxsTw/vr0pOFVvkCDmMwjiUDoSHoUShYF/xfwvpd0y1Q6EJoXzrXh6OAgboJ9ukHzmdKE5JzI64VQXSE5XiqhYcHVDlhs8N5YIg0mJAr/Md2VFMGGlIpKynRXfDq1xDT/deZEurgfo9I11bLMclGqsZHY2qpQqe0S+hw+kAhkCe5RD+poQSg3mt1SoZONS6ThJ2JDfD5zt7gpGODCWCGfvj9VVDNirc6z8ZJjYkR4sY0S9a6GZGG8k0hU3KjkgvKqi0756GBVBDW5t2Rv+79AyAnTqCQZLpxZEskpTlVddST0Fy6JIRNjiU2v8SN1b6mSEAGMfk/OXzuJl10B8+Ru7NFTIbNGEy9xnLJxUEUiI40ig6yQq+rUXEIAZnhKLN/IA3dpY1jiObLnK2E7bgF5rBTLf0PRsNT1cKCdJNIV8ByGUxdS7cqk0d9xTiVceRjRVybyVjopN87B4Ux7QWsKmLycfjkeMH5X0bUM0sR2Y4Qf5dwQZ9gCai9JICwuw1j4iM3BeJO1efcUIcuiOs05n7Ma1P+Th5mTmP9EjqwT7Was9Fszb8MmEHkUIUqyWExX3a5Lf+70TYtmhqHtd7AUFBxOeYj4YCYc4qYgfg13qstwdT8pP26T/1QprmpOQTMA2fxh5UFuzR248EzfHFVMliTSkNxyGCsfA+skuxv9HaBu5KjJxmDiPiu1VwWMv4kXLg4glN5m43auwdIzEWMzA5hVS9NhHXGLUXjO9TmNSRHJ0hwl3xIqmJi0lLjRKZLWfWA2YImrc5SpniU+fq8dZabRIGyOIs2+dyn0h0hYpU+AqH9WqIh6yEsP0d7OdBLX5y937PGWXxdk3l1bjvrg1OGuqoBZvTY6p/ZKIxC0r2im5IxUwNwQcQF4v4ibyyug5Q0S4byid8VKtckqm2qNXkvYTXPoavLPojcZyGvRAyBXt0j6vbkNsW7CyTN5XSSAHqpqpNczlQCwlo09utM85BMaVyP0iwYFD3qpjumFpt/w/5r4Z/rkJjC+8wPxwsoC+Yn23ALGRNRQYOMpdUhyDoFpMrkd0o2bgXzjaeYkw5iphgd9wXDZZ9Bgtf/jPMmibxU9SLFSw7V4/D1U1xk0QJvW0WGmFJJ2oUIZHOIKJR8lclRPajE3ZQ7aFGLfFS1SrigEecqJ3AoUSYGNY9RnydpkMlglp1R9xZCQfjpct12F4JxWCiXcZZ9JfhNANuhESF0EeK6mGfcbgLSehLEZ2rvcpSjCenXR4HSpyoJXfcu53f9LFok/q0AiKVX06tmyYLkleHAAlQC/hBH5PwBLmLKX37zmytlwNxETzavJw5FU4KGEfnKIPCIoWGXusc3Of7YEytMxlpWhx+EgKom+SbRkInITD/T817luYqNzFBffIIMuRFc+c35rsj8/Rmfqn26ogU5Bb5IeujUpTAO7ybw3x/MiWBgKPOmZepEh3euwHIfuQAPpKwul82/pXjuk6vb3OocV6Uzvp8sx+kqYPnVoLcyvxz/rN3yhSIpYZG/Zf8XhcWTYEugAH3x/FQbJQYS0E4OLrRQ1V1bPJShN5tVSqeeyXp+FQ0ZB1L49TKlb+d6s8nX5D4pbQ4Aj6TjPm/V8OEg/UZc4wa9GeST/Ius4xDonlAJ/fGfR5WLuGhuTRLPh3EHQoz+ELya5X2PmFCDGgD8IvwXk4ktCsa4ybzXEdxDKSn5s6piNYoorkyOVPOFLy5qUzWvCbN2wGHpVXIpAEOsNHwpq41LTLRPTyT2FY9jxn551xrKuQx6BfzUov5qqQ9QkLQtNdLwTU8nl0lcQ4WKVOztukXQMcDzO2rJDGGRyuSU10zNppItyyl4MNdKyOdJY1Gq0R6Z2bt073SATECfzkPIqkTdKo16eK1l/BCaFVCNiIlCOSQE+DBR2O1su0Gy0J6EazkP4j7fXFal08bS5eYdjpzdl8zXEkYYitVpcDiwMIRupsMO2do2Tan0PiAEp1EpatQ9tQ+Rm+schi/2YT7C1nr7QZKtZgLdColDUZNk38869E6L5vJd892KX87znuWkT0uOR7Pp1GS6MEtOciFVcVX3+dYBTSWjJmQiP6kCsIE/g/siHhUhtMvJKPFEDW8zUHxQmcTbL3/vCsXD1mhSJt7S3TVS5FDnA/dwqNfsusXTqEFJxaNzz2ASld/nH5w7KyNTLeVBB65jbFpjJA0XWCg3UqTnzzXeQ2tOMeL2habHkZGM+cRQY0Hj9JxLl+EmCS236opkzqKKVRUvkzeuUbnD4dH4vWi9OlkEFPQ1NOajljC2cbXTaGqeEuWo4DA7RCB3QC7RGLlaYdbKzp7aGAn4HBMLpP8zqrbuOoqHH2a+hL2ozCnHWVP1ScGcnhTJVU8sHJtw8/0+Iy90e2c6U9gl/npvSQkaY+m+ZqqHNE18KjmHLmmpc90jVaHhemNNZ7444t3tiMd3VCB8LRaqKsW1IhnWhlwP2+8XPB6aS1hxfrwLkaPpEUiT+L7p0QzlRIseIV2Lm9YtYUUkWl7LF9N9GBavUrLQqTR715j6qR9jE/Z3ach7VEvJAyOMfzIvNw6ncJ7ibHmlnPF9nmHFfM2aB0ipPq7Z5jtEdA+QcOk3TtDmmzOW2bnjuWrz+N2sk7awI7Wj2+4MEyUsafXW2X9iRtxZCOFq6AQvh4N59SzfXUYaU+HNOlejtj4bp6jnkuuWhdTPxh8fcrl93NyJwGNJMiUC/pMeLD6CmkWIVM/D0mCY90fVuiMOpLsT00sRAt8PUVF0d6GxcDqGl1vs9jJbZeICuwXo7nXsn2EhFNS68FkAH3jR8Nz1xgVCyqonLOiBz6KosUovGdCrFGA1EaNYPKaYchO9NJjEHh1m5k95ihr8gasTCRw9UxdMkOn8vfeQleR42dWD5IUYx1r64Q6qHhz0+zsGuON6cmF7J50mJOztk1Gx7qN3F9T3Li3qBstdkB1u3F2ScTkLRuRtjrD2VR/omsfJ3TN/pVlS5Wx0adMpmzkQNFWBUrLQ/wHLlnG1","counts":[":10",":3018",":3028"]};

const t = useServerConn();
const call = t.call;

test('HLL values produced by redis-server are read and counted exactly', async () => {
  const sparse = Buffer.from(ORACLE.sparse, 'hex');
  const dense = zlib.inflateSync(Buffer.from(ORACLE.dense, 'base64'));
  assert.equal(dense.length, 12304);
  await call('SET', 'sp', sparse);
  await call('SET', 'dn', dense);
  assert.equal(await call('PFCOUNT', 'sp'), ORACLE.counts[0] + '\r\n');
  assert.equal(await call('PFCOUNT', 'dn'), ORACLE.counts[1] + '\r\n');
  assert.equal(await call('PFCOUNT', 'sp', 'dn'), ORACLE.counts[2] + '\r\n');
  assert.equal(await call('PFDEBUG', 'ENCODING', 'dn'), '+dense\r\n');
  // the same elements added by redlua give the same bytes
  await call('PFADD', 'mine', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
  const v = await t.c.callValue(['GET', 'mine']);
  assert.ok(v.t === '$' && v.b !== null && v.b.equals(sparse.subarray(0, v.b.length)) && v.b.length === sparse.length);
  // re-adding existing elements changes nothing
  assert.equal(await call('PFADD', 'sp', 'a', 'b'), ':0\r\n');
});

test('corrupted HLLs give INVALIDOBJ, non-HLL strings WRONGTYPE', async () => {
  const bad = Buffer.from(ORACLE.sparse, 'hex');
  bad[15] |= 0x80; // invalidate the cache so the opcodes are read
  const truncated = bad.subarray(0, bad.length - 2);
  await call('SET', 'bad', truncated);
  assert.equal(await call('PFCOUNT', 'bad'), '-INVALIDOBJ Corrupted HLL object detected\r\n');
  await call('SET', 'str', 'hello');
  assert.equal(await call('PFADD', 'str', 'x'), '-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n');
  assert.equal(await call('PFCOUNT', 'str'), '-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n');
});

test('PFSELFTEST passes', async () => {
  assert.equal(await call('PFSELFTEST'), '+OK\r\n');
});

test('MurmurHash64A tail handling', () => {
  // Same input, different lengths must differ; stable values for regression.
  const a = murmurHash64A(Buffer.from('abcdefghi'), 0xadc83b19);
  const b = murmurHash64A(Buffer.from('abcdefgh'), 0xadc83b19);
  assert.notEqual(a, b);
  assert.ok(a < 1n << 64n && a >= 0n);
});
