// Client options from the environment variables the README lists: the one place the CLI and the relay
// read credentials from (never from flags or request bodies).

export const ENV = {
  cam: ['WORKBRIDGE_CAM_API_TOKEN', 'WORKBRIDGE_CAM_SERVER_URL'],
  yunzhijia: ['WORKBRIDGE_YUNZHIJIA_BASE_URL', 'WORKBRIDGE_YUNZHIJIA_ACCESS_TOKEN', 'WORKBRIDGE_YUNZHIJIA_EID', 'WORKBRIDGE_YUNZHIJIA_APP_ID', 'WORKBRIDGE_YUNZHIJIA_SECRET'],
  xuanxuan: ['WORKBRIDGE_XUANXUAN_SERVER_URL', 'WORKBRIDGE_XUANXUAN_CODE', 'WORKBRIDGE_XUANXUAN_KEY'],
  ytx: ['WORKBRIDGE_YTX_BASE_URL', 'WORKBRIDGE_YTX_ACCOUNT_SID', 'WORKBRIDGE_YTX_AUTH_TOKEN', 'WORKBRIDGE_YTX_APPID'],
};

const unset = (v) => (v === undefined || v === '' ? undefined : v);

/** The options object of `vendor`'s client, from `env`. */
export function optionsFromEnv(vendor, env) {
  switch (vendor) {
    case 'cam':
      return { apiToken: env.WORKBRIDGE_CAM_API_TOKEN, serverURL: env.WORKBRIDGE_CAM_SERVER_URL };
    case 'yunzhijia':
      return {
        baseURL: unset(env.WORKBRIDGE_YUNZHIJIA_BASE_URL),
        ...(unset(env.WORKBRIDGE_YUNZHIJIA_ACCESS_TOKEN)
          ? { accessToken: env.WORKBRIDGE_YUNZHIJIA_ACCESS_TOKEN }
          : {
              eid: unset(env.WORKBRIDGE_YUNZHIJIA_EID), appId: unset(env.WORKBRIDGE_YUNZHIJIA_APP_ID),
              secret: env.WORKBRIDGE_YUNZHIJIA_SECRET, scope: unset(env.WORKBRIDGE_YUNZHIJIA_SCOPE),
            }),
      };
    case 'xuanxuan':
      return { serverURL: env.WORKBRIDGE_XUANXUAN_SERVER_URL, code: env.WORKBRIDGE_XUANXUAN_CODE, key: env.WORKBRIDGE_XUANXUAN_KEY };
    case 'ytx':
      return {
        baseURL: unset(env.WORKBRIDGE_YTX_BASE_URL), env: unset(env.WORKBRIDGE_YTX_BASE_URL) ? undefined : 'production',
        accountSID: env.WORKBRIDGE_YTX_ACCOUNT_SID, authToken: env.WORKBRIDGE_YTX_AUTH_TOKEN, appid: env.WORKBRIDGE_YTX_APPID,
      };
    default:
      return undefined;
  }
}

/** Every vendor whose credentials are in `env`, as `qing.config` takes them. */
export function configuredFromEnv(env) {
  const has = {
    cam: env.WORKBRIDGE_CAM_API_TOKEN,
    yunzhijia: env.WORKBRIDGE_YUNZHIJIA_SECRET || env.WORKBRIDGE_YUNZHIJIA_ACCESS_TOKEN,
    xuanxuan: env.WORKBRIDGE_XUANXUAN_KEY,
    ytx: env.WORKBRIDGE_YTX_AUTH_TOKEN,
  };
  return Object.fromEntries(Object.keys(ENV).filter((v) => has[v]).map((v) => [v, optionsFromEnv(v, env)]));
}
