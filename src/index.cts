// CommonJS entry of the compiled sources, and the declarations `require('redlua')` resolves to (index.d.cts): the ES
// module itself through require(esm) (Node >= 20.19). The package's runtime CJS entry is the bundle's require.cjs.
import redlua = require('./index.js');
export = redlua;
