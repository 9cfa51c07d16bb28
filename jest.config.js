/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // jose 6 ships ESM only; jest runs CommonJS, so its files are compiled like ours (the built package needs no such step)
    '/node_modules/jose/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, target: 'ES2022', module: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 20000,
  reporters: ['default', '<rootDir>/scripts/summary-reporter.js'],
};
