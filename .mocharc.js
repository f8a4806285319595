// mocha's configuration. Mocha adds a configured `spec` to the files named on the command
// line, so `npx mocha test/x.test.js` would run the whole suite as well: the suite's glob
// applies only when no test file is named.
'use strict';
const named = process.argv.slice(2).some((arg) => /\.test\.js$/.test(arg));

module.exports = {
  ...(named ? {} : { spec: ['test/**/*.test.js'] }),
  'node-option': ['expose-gc'],
  timeout: 120000,
  reporter: 'spec',
};
