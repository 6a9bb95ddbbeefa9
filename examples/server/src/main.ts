/**
 * Entry point of the example MCP server (bundled to `dist/server.js`, started by `run.sh`).
 *
 * Reads the configuration from the environment, listens, and drains on SIGTERM/SIGINT: stop
 * accepting, let in-flight requests finish (up to `shutdownGraceMs`: 20 s, or 0.8 s under Lambda
 * Web Functions, which give 1 s), exit 0.
 */
import { ConfigError, parseConfig } from './config';
import { ExampleMcpServer } from './http-server';
import { createLogger } from './logger';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      createLogger('error').error('config_invalid', { message: error.message });
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const server = new ExampleMcpServer(config, logger);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      logger.warn('stopped', { reason: `second ${signal}: exiting without draining` });
      process.exit(1);
    }
    logger.info('signal', { reason: signal });
    void server.shutdown(config.shutdownGraceMs).then(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await server.listen();
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    logger.error('listen_failed', {
      errorName: err.code ?? err.name,
      message: `Cannot listen on ${config.host}:${config.port} (${err.message}): set PORT to a free port and HOST to a local interface.`,
    });
    process.exit(1);
  }
}

process.on('uncaughtException', (error) => {
  createLogger('error').error('crashed', { errorName: error.name, message: error.message.slice(0, 500) });
  process.exit(1);
});

void main();
