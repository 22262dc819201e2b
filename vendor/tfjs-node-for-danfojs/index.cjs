// danfojs-node imports @tensorflow/tfjs-node for a few tensor helpers; pure tfjs serves them.
module.exports = require('@tensorflow/tfjs');
