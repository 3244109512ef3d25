package io.github.s3batchspark.execution;

import java.util.function.UnaryOperator;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Where the AWS SDK for Java v2 finds an endpoint or a region that no code gave it, read the way
 * the SDK reads them, so that the driver can fix them into the {@link ClientSettings} that travel
 * to the executors: on a cluster the executors have neither the driver's environment, nor its
 * system properties, nor its {@code ~/.aws/config}.
 *
 * <p>A service's endpoint, first found wins (the order of the SDK's {@code
 * AwsClientEndpointProvider}, 2.40): the system property {@code aws.endpointUrl<Service>}, the
 * system property {@code aws.endpointUrl}, the variable {@code AWS_ENDPOINT_URL_<SERVICE>}, the
 * variable {@code AWS_ENDPOINT_URL}, then in the profile ({@code aws.profile}, {@code
 * AWS_PROFILE}, else {@code default}): the {@code [services NAME]} section the profile names
 * ({@code <service> = / endpoint_url = ...}), the profile's own {@code <service>.endpoint_url},
 * and its {@code endpoint_url}. The region: {@code aws.region}, {@code AWS_REGION}, {@code
 * AWS_DEFAULT_REGION} (the AWS CLI's), then the profile's {@code region}.
 */
public final class SdkEnvironment {
  private final UnaryOperator<String> lookup;
  private final Profile profile;
  private final Profile services;

  private SdkEnvironment(UnaryOperator<String> lookup, ProfileFile profiles) {
    this.lookup = lookup;
    String name = firstSet(lookup.apply("aws.profile"), lookup.apply("AWS_PROFILE"), "default");
    this.profile = profiles == null ? null : profiles.profile(name).orElse(null);
    this.services = profile == null ? null : profile.property("services")
        .flatMap(section -> profiles.getSection("services", section)).orElse(null);
  }

  /**
   * What this JVM's SDK would read: its environment, its system properties, and the config file
   * ({@code AWS_CONFIG_FILE}, else {@code ~/.aws/config}) when there is one that parses.
   */
  public static SdkEnvironment ofThisJvm() {
    ProfileFile profiles;
    try {
      profiles = ProfileFile.defaultProfileFile();
    } catch (RuntimeException unreadable) {
      profiles = null; // the SDK's clients say what is wrong with it when they are built
    }
    return new SdkEnvironment(
        name -> name.contains(".") ? System.getProperty(name) : System.getenv(name), profiles);
  }

  /**
   * A given environment: {@code lookup} answers a variable's or a system property's value by its
   * name (a name with a dot is a system property), null when unset; {@code profiles} is the
   * config file's content, or null for none.
   */
  public static SdkEnvironment of(UnaryOperator<String> lookup, ProfileFile profiles) {
    return new SdkEnvironment(lookup, profiles);
  }

  /** The endpoint configured for {@code service}, or null when the SDK would use AWS's. */
  public String endpoint(AwsService service) {
    return firstSet(lookup.apply(service.systemProperty()), lookup.apply("aws.endpointUrl"),
        lookup.apply(service.environmentVariable()), lookup.apply("AWS_ENDPOINT_URL"),
        property(services, service.configKey() + ".endpoint_url"),
        property(profile, service.configKey() + ".endpoint_url"),
        property(profile, "endpoint_url"));
  }

  /** The region configured, or null when none is (the SDK would then ask the instance). */
  public String region() {
    return firstSet(lookup.apply("aws.region"), lookup.apply("AWS_REGION"),
        lookup.apply("AWS_DEFAULT_REGION"), property(profile, "region"));
  }

  private static String property(Profile profile, String name) {
    return profile == null ? null : profile.property(name).orElse(null);
  }

  static String firstSet(String... values) {
    return java.util.Arrays.stream(values).filter(v -> v != null && !v.isBlank()).findFirst()
        .orElse(null);
  }
}
