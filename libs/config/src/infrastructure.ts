import { list, url } from './fields.ts';

/** The variables of CONTRACT §1 that point a service at its servers. */
export const infrastructureSpec = {
  KAFKA_BROKERS: list({ default: ['127.0.0.1:9092'] }),
  REDIS_URL: url({ default: 'redis://127.0.0.1:6379', protocols: ['redis:', 'rediss:'] }),
  MONGO_URL: url({ default: 'mongodb://127.0.0.1:27017/vigil', protocols: ['mongodb:', 'mongodb+srv:'] }),
};
