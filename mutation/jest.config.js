/**
 * The jest run Stryker mutates against: only the specs that exercise the security-critical modules
 * (stryker.config.mjs), compiled without type checks (the typescript checker does that once per mutant).
 * Not spec/runtimes, spec/docs or the slow differential specs: they cover none of these lines that the
 * specs below do not, and would multiply the run's time on a shared 2-core machine.
 */
const base = require('../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/spec'],
  testMatch: [
    '<rootDir>/spec/security/**/*.spec.ts',
    '<rootDir>/spec/transport/verification.spec.ts',
    '<rootDir>/spec/transport/wire.spec.ts',
    '<rootDir>/spec/webhook/*.spec.ts',
    '<rootDir>/spec/request/*.spec.ts',
    '<rootDir>/spec/chain/*.spec.ts',
    '<rootDir>/spec/catalog/encryption.spec.ts',
    '<rootDir>/spec/catalog/nested-encryption.spec.ts',
    '<rootDir>/spec/catalog/validation-encryption-plan.spec.ts',
    '<rootDir>/spec/crypto/rsa.spec.ts',
    // media uploads sign their meta JSON, not the multipart bytes (the signer's SIGNED_BODY branch)
    '<rootDir>/spec/media/media-and-bills.spec.ts',
    '<rootDir>/spec/regression/requests-stay-on-host.spec.ts',
    '<rootDir>/spec/regression/strict-signature-decoding.spec.ts',
    '<rootDir>/spec/regression/reply-headers-and-authorization.spec.ts',
    '<rootDir>/spec/regression/webhook-behind-json-parser.spec.ts',
  ],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true, diagnostics: false }],
    '/node_modules/jose/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, target: 'ES2022', module: 'commonjs' }, isolatedModules: true, diagnostics: false },
    ],
  },
  // the summary reporter writes into the sandbox; Stryker reads results from jest itself
  reporters: ['default'],
};
