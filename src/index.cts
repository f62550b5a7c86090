// CommonJS entry point (`require('redlua')`): the ES module itself, loaded through require(esm) (Node ≥ 20.19).
import redlua = require('./index.js');
export = redlua;
