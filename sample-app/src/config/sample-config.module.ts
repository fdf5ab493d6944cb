import { Logger, Module } from '@nestjs/common';
import { SampleConfigService } from './sample-config.service.js';
import { SAMPLE_ENVIRONMENT, loadSampleEnvironment } from './sample-environment.js';

/** Provides {@link SampleConfigService}; the variables come from the environment and `.env` files. */
@Module({
  providers: [
    {
      provide: SAMPLE_ENVIRONMENT,
      useFactory: () => {
        const { env, files } = loadSampleEnvironment();
        if (files.length > 0) new Logger('SampleConfig').log(`Read ${files.join(', ')}`);
        return env;
      },
    },
    SampleConfigService,
  ],
  exports: [SampleConfigService],
})
export class SampleConfigModule {}
